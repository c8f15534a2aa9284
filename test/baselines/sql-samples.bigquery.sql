-- kpispec samples/webshop.kpi.yaml
-- dialect: BigQuery; grain: month; time zone: Asia/Shanghai
-- rows: kind (value | source | range | unreadable | undated | rollup | lookup | duplicate), kpi, dimension ('' for the total), grp, period, value
WITH
-- source web: shop.web_sessions
src_web AS (
  SELECT
    __day,
    c_channel,
    c_device,
    c_region,
    c_pageviews,
    c_visitors,
    c_sessions,
    c_session_seconds,
    c_bounces,
    c_add_to_carts,
    c_product_views,
    c_checkouts,
    (__t0 <> '' AND __day IS NULL) AS __u_time,
    (__t1 <> '' AND c_pageviews IS NULL) AS __u_c_pageviews,
    (__t2 <> '' AND c_visitors IS NULL) AS __u_c_visitors,
    (__t3 <> '' AND c_sessions IS NULL) AS __u_c_sessions,
    (__t4 <> '' AND c_session_seconds IS NULL) AS __u_c_session_seconds,
    (__t5 <> '' AND c_bounces IS NULL) AS __u_c_bounces,
    (__t6 <> '' AND c_add_to_carts IS NULL) AS __u_c_add_to_carts,
    (__t7 <> '' AND c_product_views IS NULL) AS __u_c_product_views,
    (__t8 <> '' AND c_checkouts IS NULL) AS __u_c_checkouts
  FROM (
    SELECT
      CASE
        WHEN REGEXP_CONTAINS(CAST(raw.`date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$') THEN SAFE_CAST(CAST(raw.`date` AS STRING) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?$') THEN SAFE_CAST(SUBSTR(CAST(raw.`date` AS STRING), 1, 10) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)? ?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)$') THEN DATE(SAFE_CAST(CAST(raw.`date` AS STRING) AS TIMESTAMP), 'Asia/Shanghai')
        WHEN REGEXP_CONTAINS(CAST(raw.`date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])$') THEN SAFE_CAST(CAST(raw.`date` AS STRING) || '-01' AS DATE)
      END AS __day,
      CAST(raw.`channel` AS STRING) AS c_channel,
      CAST(raw.`device` AS STRING) AS c_device,
      CAST(raw.`region` AS STRING) AS c_region,
      SAFE_CAST(raw.`pageviews` AS FLOAT64) AS c_pageviews,
      SAFE_CAST(raw.`visitors` AS FLOAT64) AS c_visitors,
      SAFE_CAST(raw.`sessions` AS FLOAT64) AS c_sessions,
      SAFE_CAST(raw.`session_seconds` AS FLOAT64) AS c_session_seconds,
      SAFE_CAST(raw.`bounces` AS FLOAT64) AS c_bounces,
      SAFE_CAST(raw.`add_to_carts` AS FLOAT64) AS c_add_to_carts,
      SAFE_CAST(raw.`product_views` AS FLOAT64) AS c_product_views,
      SAFE_CAST(raw.`checkouts` AS FLOAT64) AS c_checkouts,
      CAST(raw.`date` AS STRING) AS __t0,
      CAST(raw.`pageviews` AS STRING) AS __t1,
      CAST(raw.`visitors` AS STRING) AS __t2,
      CAST(raw.`sessions` AS STRING) AS __t3,
      CAST(raw.`session_seconds` AS STRING) AS __t4,
      CAST(raw.`bounces` AS STRING) AS __t5,
      CAST(raw.`add_to_carts` AS STRING) AS __t6,
      CAST(raw.`product_views` AS STRING) AS __t7,
      CAST(raw.`checkouts` AS STRING) AS __t8
    FROM `shop`.`web_sessions` AS raw
  ) AS typed
),
-- source ads: shop.ad_spend
src_ads AS (
  SELECT
    __day,
    c_channel,
    c_campaign,
    c_spend,
    c_clicks,
    c_impressions,
    (__t0 <> '' AND __day IS NULL) AS __u_time,
    (__t1 <> '' AND c_spend IS NULL) AS __u_c_spend,
    (__t2 <> '' AND c_clicks IS NULL) AS __u_c_clicks,
    (__t3 <> '' AND c_impressions IS NULL) AS __u_c_impressions
  FROM (
    SELECT
      CASE
        WHEN REGEXP_CONTAINS(CAST(raw.`date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$') THEN SAFE_CAST(CAST(raw.`date` AS STRING) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?$') THEN SAFE_CAST(SUBSTR(CAST(raw.`date` AS STRING), 1, 10) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)? ?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)$') THEN DATE(SAFE_CAST(CAST(raw.`date` AS STRING) AS TIMESTAMP), 'Asia/Shanghai')
        WHEN REGEXP_CONTAINS(CAST(raw.`date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])$') THEN SAFE_CAST(CAST(raw.`date` AS STRING) || '-01' AS DATE)
      END AS __day,
      CAST(raw.`channel` AS STRING) AS c_channel,
      CAST(raw.`campaign` AS STRING) AS c_campaign,
      SAFE_CAST(raw.`spend` AS FLOAT64) AS c_spend,
      SAFE_CAST(raw.`clicks` AS FLOAT64) AS c_clicks,
      SAFE_CAST(raw.`impressions` AS FLOAT64) AS c_impressions,
      CAST(raw.`date` AS STRING) AS __t0,
      CAST(raw.`spend` AS STRING) AS __t1,
      CAST(raw.`clicks` AS STRING) AS __t2,
      CAST(raw.`impressions` AS STRING) AS __t3
    FROM `shop`.`ad_spend` AS raw
  ) AS typed
),
-- source social: shop.social
src_social AS (
  SELECT
    __day,
    c_platform,
    c_followers,
    c_new_followers,
    c_lost_followers,
    c_engagements,
    c_reach,
    (__t0 <> '' AND __day IS NULL) AS __u_time,
    (__t1 <> '' AND c_followers IS NULL) AS __u_c_followers,
    (__t2 <> '' AND c_new_followers IS NULL) AS __u_c_new_followers,
    (__t3 <> '' AND c_lost_followers IS NULL) AS __u_c_lost_followers,
    (__t4 <> '' AND c_engagements IS NULL) AS __u_c_engagements,
    (__t5 <> '' AND c_reach IS NULL) AS __u_c_reach
  FROM (
    SELECT
      CASE
        WHEN REGEXP_CONTAINS(CAST(raw.`date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$') THEN SAFE_CAST(CAST(raw.`date` AS STRING) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?$') THEN SAFE_CAST(SUBSTR(CAST(raw.`date` AS STRING), 1, 10) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)? ?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)$') THEN DATE(SAFE_CAST(CAST(raw.`date` AS STRING) AS TIMESTAMP), 'Asia/Shanghai')
        WHEN REGEXP_CONTAINS(CAST(raw.`date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])$') THEN SAFE_CAST(CAST(raw.`date` AS STRING) || '-01' AS DATE)
      END AS __day,
      CAST(raw.`platform` AS STRING) AS c_platform,
      SAFE_CAST(raw.`followers` AS FLOAT64) AS c_followers,
      SAFE_CAST(raw.`new_followers` AS FLOAT64) AS c_new_followers,
      SAFE_CAST(raw.`lost_followers` AS FLOAT64) AS c_lost_followers,
      SAFE_CAST(raw.`engagements` AS FLOAT64) AS c_engagements,
      SAFE_CAST(raw.`reach` AS FLOAT64) AS c_reach,
      CAST(raw.`date` AS STRING) AS __t0,
      CAST(raw.`followers` AS STRING) AS __t1,
      CAST(raw.`new_followers` AS STRING) AS __t2,
      CAST(raw.`lost_followers` AS STRING) AS __t3,
      CAST(raw.`engagements` AS STRING) AS __t4,
      CAST(raw.`reach` AS STRING) AS __t5
    FROM `shop`.`social` AS raw
  ) AS typed
),
-- source email: shop.email
src_email AS (
  SELECT
    __day,
    c_campaign,
    c_segment,
    c_opens,
    c_delivered,
    c_clicks,
    c_conversions,
    c_unsubscribes,
    c_revenue,
    c_sent,
    (__t0 <> '' AND __day IS NULL) AS __u_time,
    (__t1 <> '' AND c_opens IS NULL) AS __u_c_opens,
    (__t2 <> '' AND c_delivered IS NULL) AS __u_c_delivered,
    (__t3 <> '' AND c_clicks IS NULL) AS __u_c_clicks,
    (__t4 <> '' AND c_conversions IS NULL) AS __u_c_conversions,
    (__t5 <> '' AND c_unsubscribes IS NULL) AS __u_c_unsubscribes,
    (__t6 <> '' AND c_revenue IS NULL) AS __u_c_revenue,
    (__t7 <> '' AND c_sent IS NULL) AS __u_c_sent
  FROM (
    SELECT
      CASE
        WHEN REGEXP_CONTAINS(CAST(raw.`sent_at` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$') THEN SAFE_CAST(CAST(raw.`sent_at` AS STRING) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`sent_at` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?$') THEN SAFE_CAST(SUBSTR(CAST(raw.`sent_at` AS STRING), 1, 10) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`sent_at` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)? ?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)$') THEN DATE(SAFE_CAST(CAST(raw.`sent_at` AS STRING) AS TIMESTAMP), 'Asia/Shanghai')
        WHEN REGEXP_CONTAINS(CAST(raw.`sent_at` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])$') THEN SAFE_CAST(CAST(raw.`sent_at` AS STRING) || '-01' AS DATE)
      END AS __day,
      CAST(raw.`campaign` AS STRING) AS c_campaign,
      CAST(raw.`segment` AS STRING) AS c_segment,
      SAFE_CAST(raw.`opens` AS FLOAT64) AS c_opens,
      SAFE_CAST(raw.`delivered` AS FLOAT64) AS c_delivered,
      SAFE_CAST(raw.`clicks` AS FLOAT64) AS c_clicks,
      SAFE_CAST(raw.`conversions` AS FLOAT64) AS c_conversions,
      SAFE_CAST(raw.`unsubscribes` AS FLOAT64) AS c_unsubscribes,
      SAFE_CAST(raw.`revenue` AS FLOAT64) AS c_revenue,
      SAFE_CAST(raw.`sent` AS FLOAT64) AS c_sent,
      CAST(raw.`sent_at` AS STRING) AS __t0,
      CAST(raw.`opens` AS STRING) AS __t1,
      CAST(raw.`delivered` AS STRING) AS __t2,
      CAST(raw.`clicks` AS STRING) AS __t3,
      CAST(raw.`conversions` AS STRING) AS __t4,
      CAST(raw.`unsubscribes` AS STRING) AS __t5,
      CAST(raw.`revenue` AS STRING) AS __t6,
      CAST(raw.`sent` AS STRING) AS __t7
    FROM `shop`.`email` AS raw
  ) AS typed
),
-- source lead_log: shop.leads
src_lead_log AS (
  SELECT
    __day,
    c_channel,
    c_leads,
    c_qualified_leads,
    (__t0 <> '' AND __day IS NULL) AS __u_time,
    (__t1 <> '' AND c_leads IS NULL) AS __u_c_leads,
    (__t2 <> '' AND c_qualified_leads IS NULL) AS __u_c_qualified_leads
  FROM (
    SELECT
      CASE
        WHEN REGEXP_CONTAINS(CAST(raw.`date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$') THEN SAFE_CAST(CAST(raw.`date` AS STRING) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?$') THEN SAFE_CAST(SUBSTR(CAST(raw.`date` AS STRING), 1, 10) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)? ?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)$') THEN DATE(SAFE_CAST(CAST(raw.`date` AS STRING) AS TIMESTAMP), 'Asia/Shanghai')
        WHEN REGEXP_CONTAINS(CAST(raw.`date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])$') THEN SAFE_CAST(CAST(raw.`date` AS STRING) || '-01' AS DATE)
      END AS __day,
      CAST(raw.`channel` AS STRING) AS c_channel,
      SAFE_CAST(raw.`leads` AS FLOAT64) AS c_leads,
      SAFE_CAST(raw.`qualified_leads` AS FLOAT64) AS c_qualified_leads,
      CAST(raw.`date` AS STRING) AS __t0,
      CAST(raw.`leads` AS STRING) AS __t1,
      CAST(raw.`qualified_leads` AS STRING) AS __t2
    FROM `shop`.`leads` AS raw
  ) AS typed
),
-- source order_log: shop.orders
rel_order_log_0 AS (
  SELECT
    __day,
    __n,
    c_ordered_at,
    c_channel,
    c_device,
    c_region,
    c_customer_id,
    c_amount,
    c_items,
    (__t0 <> '' AND __day IS NULL) AS __u_time,
    (__t1 <> '' AND c_amount IS NULL) AS __u_c_amount,
    (__t2 <> '' AND c_items IS NULL) AS __u_c_items
  FROM (
    SELECT
      CASE
        WHEN REGEXP_CONTAINS(CAST(raw.`ordered_at` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$') THEN SAFE_CAST(CAST(raw.`ordered_at` AS STRING) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`ordered_at` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?$') THEN SAFE_CAST(SUBSTR(CAST(raw.`ordered_at` AS STRING), 1, 10) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`ordered_at` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)? ?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)$') THEN DATE(SAFE_CAST(CAST(raw.`ordered_at` AS STRING) AS TIMESTAMP), 'Asia/Shanghai')
        WHEN REGEXP_CONTAINS(CAST(raw.`ordered_at` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])$') THEN SAFE_CAST(CAST(raw.`ordered_at` AS STRING) || '-01' AS DATE)
      END AS __day,
      ROW_NUMBER() OVER () AS __n,
      CASE
        WHEN REGEXP_CONTAINS(CAST(raw.`ordered_at` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$') THEN SAFE_CAST(CAST(raw.`ordered_at` AS STRING) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`ordered_at` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?$') THEN SAFE_CAST(SUBSTR(CAST(raw.`ordered_at` AS STRING), 1, 10) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`ordered_at` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)? ?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)$') THEN DATE(SAFE_CAST(CAST(raw.`ordered_at` AS STRING) AS TIMESTAMP), 'Asia/Shanghai')
        WHEN REGEXP_CONTAINS(CAST(raw.`ordered_at` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])$') THEN SAFE_CAST(CAST(raw.`ordered_at` AS STRING) || '-01' AS DATE)
      END AS c_ordered_at,
      CAST(raw.`channel` AS STRING) AS c_channel,
      CAST(raw.`device` AS STRING) AS c_device,
      CAST(raw.`region` AS STRING) AS c_region,
      CAST(raw.`customer_id` AS STRING) AS c_customer_id,
      SAFE_CAST(raw.`amount` AS FLOAT64) AS c_amount,
      SAFE_CAST(raw.`items` AS FLOAT64) AS c_items,
      CAST(raw.`ordered_at` AS STRING) AS __t0,
      CAST(raw.`amount` AS STRING) AS __t1,
      CAST(raw.`items` AS STRING) AS __t2
    FROM `shop`.`orders` AS raw
  ) AS typed
),
-- source crm_leads: shop.crm_leads
rel_crm_leads_0 AS (
  SELECT
    __day,
    c_first_contact,
    c_channel,
    c_segment,
    c_lead_id,
    (__t0 <> '' AND __day IS NULL) AS __u_time
  FROM (
    SELECT
      CASE
        WHEN REGEXP_CONTAINS(CAST(raw.`first_contact` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$') THEN SAFE_CAST(CAST(raw.`first_contact` AS STRING) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`first_contact` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?$') THEN SAFE_CAST(SUBSTR(CAST(raw.`first_contact` AS STRING), 1, 10) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`first_contact` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)? ?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)$') THEN DATE(SAFE_CAST(CAST(raw.`first_contact` AS STRING) AS TIMESTAMP), 'Asia/Shanghai')
        WHEN REGEXP_CONTAINS(CAST(raw.`first_contact` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])$') THEN SAFE_CAST(CAST(raw.`first_contact` AS STRING) || '-01' AS DATE)
      END AS __day,
      CASE
        WHEN REGEXP_CONTAINS(CAST(raw.`first_contact` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$') THEN SAFE_CAST(CAST(raw.`first_contact` AS STRING) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`first_contact` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?$') THEN SAFE_CAST(SUBSTR(CAST(raw.`first_contact` AS STRING), 1, 10) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`first_contact` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)? ?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)$') THEN DATE(SAFE_CAST(CAST(raw.`first_contact` AS STRING) AS TIMESTAMP), 'Asia/Shanghai')
        WHEN REGEXP_CONTAINS(CAST(raw.`first_contact` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])$') THEN SAFE_CAST(CAST(raw.`first_contact` AS STRING) || '-01' AS DATE)
      END AS c_first_contact,
      CAST(raw.`channel` AS STRING) AS c_channel,
      CAST(raw.`segment` AS STRING) AS c_segment,
      CAST(raw.`lead_id` AS STRING) AS c_lead_id,
      CAST(raw.`first_contact` AS STRING) AS __t0
    FROM `shop`.`crm_leads` AS raw
  ) AS typed
),
-- source deals: shop.deals
src_deals AS (
  SELECT
    __day,
    __n,
    c_won_date,
    c_sales_rep,
    c_lead_id,
    c_amount,
    (__t0 <> '' AND __day IS NULL) AS __u_time,
    (__t1 <> '' AND c_amount IS NULL) AS __u_c_amount
  FROM (
    SELECT
      CASE
        WHEN REGEXP_CONTAINS(CAST(raw.`won_date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$') THEN SAFE_CAST(CAST(raw.`won_date` AS STRING) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`won_date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?$') THEN SAFE_CAST(SUBSTR(CAST(raw.`won_date` AS STRING), 1, 10) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`won_date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)? ?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)$') THEN DATE(SAFE_CAST(CAST(raw.`won_date` AS STRING) AS TIMESTAMP), 'Asia/Shanghai')
        WHEN REGEXP_CONTAINS(CAST(raw.`won_date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])$') THEN SAFE_CAST(CAST(raw.`won_date` AS STRING) || '-01' AS DATE)
      END AS __day,
      ROW_NUMBER() OVER () AS __n,
      CASE
        WHEN REGEXP_CONTAINS(CAST(raw.`won_date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$') THEN SAFE_CAST(CAST(raw.`won_date` AS STRING) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`won_date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?$') THEN SAFE_CAST(SUBSTR(CAST(raw.`won_date` AS STRING), 1, 10) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`won_date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)? ?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)$') THEN DATE(SAFE_CAST(CAST(raw.`won_date` AS STRING) AS TIMESTAMP), 'Asia/Shanghai')
        WHEN REGEXP_CONTAINS(CAST(raw.`won_date` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])$') THEN SAFE_CAST(CAST(raw.`won_date` AS STRING) || '-01' AS DATE)
      END AS c_won_date,
      CAST(raw.`sales_rep` AS STRING) AS c_sales_rep,
      CAST(raw.`lead_id` AS STRING) AS c_lead_id,
      SAFE_CAST(raw.`amount` AS FLOAT64) AS c_amount,
      CAST(raw.`won_date` AS STRING) AS __t0,
      CAST(raw.`amount` AS STRING) AS __t1
    FROM `shop`.`deals` AS raw
  ) AS typed
),
-- source hits: shop.hits
src_hits AS (
  SELECT
    __day,
    __n,
    c_hit_time,
    c_channel,
    c_device,
    c_visitor_id,
    c_visit_number,
    c_session_revenue,
    (__t0 <> '' AND __day IS NULL) AS __u_time,
    (__t1 <> '' AND c_session_revenue IS NULL) AS __u_c_session_revenue
  FROM (
    SELECT
      CASE
        WHEN REGEXP_CONTAINS(CAST(raw.`hit_time` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$') THEN SAFE_CAST(CAST(raw.`hit_time` AS STRING) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`hit_time` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?$') THEN SAFE_CAST(SUBSTR(CAST(raw.`hit_time` AS STRING), 1, 10) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`hit_time` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)? ?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)$') THEN DATE(SAFE_CAST(CAST(raw.`hit_time` AS STRING) AS TIMESTAMP), 'Asia/Shanghai')
        WHEN REGEXP_CONTAINS(CAST(raw.`hit_time` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])$') THEN SAFE_CAST(CAST(raw.`hit_time` AS STRING) || '-01' AS DATE)
      END AS __day,
      ROW_NUMBER() OVER () AS __n,
      CASE
        WHEN REGEXP_CONTAINS(CAST(raw.`hit_time` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$') THEN SAFE_CAST(CAST(raw.`hit_time` AS STRING) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`hit_time` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?$') THEN SAFE_CAST(SUBSTR(CAST(raw.`hit_time` AS STRING), 1, 10) AS DATE)
        WHEN REGEXP_CONTAINS(CAST(raw.`hit_time` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])[T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)? ?(Z|[+-]([01][0-9]|2[0-3])(:?[0-5][0-9])?)$') THEN DATE(SAFE_CAST(CAST(raw.`hit_time` AS STRING) AS TIMESTAMP), 'Asia/Shanghai')
        WHEN REGEXP_CONTAINS(CAST(raw.`hit_time` AS STRING), '^[0-9]{4}-(0[1-9]|1[0-2])$') THEN SAFE_CAST(CAST(raw.`hit_time` AS STRING) || '-01' AS DATE)
      END AS c_hit_time,
      CAST(raw.`channel` AS STRING) AS c_channel,
      CAST(raw.`device` AS STRING) AS c_device,
      CAST(raw.`visitor_id` AS STRING) AS c_visitor_id,
      CAST(raw.`visit_number` AS STRING) AS c_visit_number,
      SAFE_CAST(raw.`session_revenue` AS FLOAT64) AS c_session_revenue,
      CAST(raw.`hit_time` AS STRING) AS __t0,
      CAST(raw.`session_revenue` AS STRING) AS __t1
    FROM `shop`.`hits` AS raw
  ) AS typed
),
-- source deals: key values held by more than one row (a lookup onto it would count rows twice)
dup_deals AS (
  SELECT __k1, COUNT(*) AS __rows
  FROM (SELECT t.c_lead_id AS __k1, t.__n FROM src_deals AS t) AS t
  WHERE __k1 IS NOT NULL
  GROUP BY __k1
  HAVING COUNT(*) > 1
),
-- source deals: the repeated key met first in the file, with its first two rows
dupat_deals AS (
  SELECT x.__k1, x.__a, x.__b
  FROM (
    SELECT t.__k1, MIN(t.__n) OVER (PARTITION BY t.__k1) AS __a, t.__n AS __b, ROW_NUMBER() OVER (PARTITION BY t.__k1 ORDER BY t.__n) AS __i
    FROM (SELECT t.c_lead_id AS __k1, t.__n FROM src_deals AS t) AS t
    JOIN dup_deals AS u ON u.__k1 = t.__k1
  ) AS x
  WHERE x.__i = 2
  ORDER BY x.__b
  LIMIT 1
),
-- rollup customers: one row per customer_id of order_log
src_customers AS (
  SELECT
    f.c_customer_id AS k_customer_id,
    MIN(f.c_ordered_at) AS a_first_order,
    MIN(f.c_ordered_at) AS __day,
    MIN_BY(f.c_channel, CASE WHEN f.c_channel IS NOT NULL THEN (COALESCE(UNIX_DATE(f.__day), 3000000) * 10000000000 + f.__n) END) AS a_channel,
    CAST(COUNT(*) AS FLOAT64) AS a_orders
  FROM rel_order_log_0 AS f
  WHERE f.c_customer_id IS NOT NULL
  GROUP BY f.c_customer_id
),
-- rollup sessions: one row per visitor_id, visit_number of hits
src_sessions AS (
  SELECT
    f.c_visitor_id AS k_visitor_id,
    f.c_visit_number AS k_visit_number,
    MIN(f.c_hit_time) AS a_started,
    MIN(f.c_hit_time) AS __day,
    MIN_BY(f.c_channel, CASE WHEN f.c_channel IS NOT NULL THEN (COALESCE(UNIX_DATE(f.__day), 3000000) * 10000000000 + f.__n) END) AS a_channel,
    MIN_BY(f.c_device, CASE WHEN f.c_device IS NOT NULL THEN (COALESCE(UNIX_DATE(f.__day), 3000000) * 10000000000 + f.__n) END) AS a_device,
    CAST(COUNT(*) AS FLOAT64) AS a_pageviews,
    MAX(f.c_session_revenue) AS a_revenue
  FROM src_hits AS f
  WHERE f.c_visitor_id IS NOT NULL AND f.c_visit_number IS NOT NULL
  GROUP BY f.c_visitor_id, f.c_visit_number
),
-- source crm_leads: matched(deal), deal.won_date
rel_crm_leads_1 AS (
  SELECT
    p.*,
    (j1.c_lead_id IS NOT NULL) AS m_deal,
    j1.c_won_date AS l_deal__won_date
  FROM rel_crm_leads_0 AS p
  LEFT JOIN (SELECT * FROM src_deals WHERE NOT EXISTS (SELECT 1 FROM dup_deals)) AS j1 ON p.c_lead_id = j1.c_lead_id
),
-- rollup customers: the rows of order_log, and those with an empty key (in no row)
rollup_customers AS (
  SELECT COUNT(*) AS __rows, COUNT(CASE WHEN f.c_customer_id IS NULL THEN 1 END) AS __unkeyed
  FROM rel_order_log_0 AS f
),
-- rollup sessions: the rows of hits, and those with an empty key (in no row)
rollup_sessions AS (
  SELECT COUNT(*) AS __rows, COUNT(CASE WHEN f.c_visitor_id IS NULL OR f.c_visit_number IS NULL THEN 1 END) AS __unkeyed
  FROM src_hits AS f
),
-- source order_log: customer.first_order, matched(customer)
rel_order_log_2 AS (
  SELECT
    p.*,
    j1.a_first_order AS l_customer__first_order,
    (j1.k_customer_id IS NOT NULL) AS m_customer
  FROM rel_order_log_0 AS p
  LEFT JOIN src_customers AS j1 ON p.c_customer_id = j1.k_customer_id
),
-- source crm_leads: days_to_close
rel_crm_leads_2 AS (
  SELECT
    p.*,
    CAST(DATE_DIFF(p.l_deal__won_date, p.c_first_contact, DAY) AS FLOAT64) AS d_days_to_close
  FROM rel_crm_leads_1 AS p
),
-- source order_log: cohort, returning
src_order_log AS (
  SELECT
    p.*,
    (FORMAT_DATE('%Y-%m', DATE_TRUNC(p.l_customer__first_order, MONTH))) AS d_cohort,
    (p.c_ordered_at > p.l_customer__first_order) AS d_returning
  FROM rel_order_log_2 AS p
),
-- source order_log: rows, and rows matched by each lookup
lookups_order_log AS (
  SELECT COUNT(*) AS __rows, COUNT(CASE WHEN m_customer THEN 1 END) AS __m1
  FROM src_order_log
),
-- source crm_leads: no rows when what it reads is unknown (a key that is not unique)
src_crm_leads AS (
  SELECT *
  FROM rel_crm_leads_2
  WHERE NOT EXISTS (SELECT 1 FROM dup_deals)
),
-- source crm_leads: rows, and rows matched by each lookup
lookups_crm_leads AS (
  SELECT COUNT(*) AS __rows, COUNT(CASE WHEN m_deal THEN 1 END) AS __m1
  FROM rel_crm_leads_2
),
-- the first and last day with data over the timed sources
extent AS (
  SELECT MIN(lo) AS lo, MAX(hi) AS hi
  FROM (
    SELECT MIN(__day) AS lo, MAX(__day) AS hi FROM src_web
    UNION ALL
    SELECT MIN(__day) AS lo, MAX(__day) AS hi FROM src_sessions
    UNION ALL
    SELECT MIN(__day) AS lo, MAX(__day) AS hi FROM src_order_log
    UNION ALL
    SELECT MIN(__day) AS lo, MAX(__day) AS hi FROM src_ads
    UNION ALL
    SELECT MIN(__day) AS lo, MAX(__day) AS hi FROM src_customers
    UNION ALL
    SELECT MIN(__day) AS lo, MAX(__day) AS hi FROM src_social
    UNION ALL
    SELECT MIN(__day) AS lo, MAX(__day) AS hi FROM src_email
    UNION ALL
    SELECT MIN(__day) AS lo, MAX(__day) AS hi FROM src_lead_log
    UNION ALL
    SELECT MIN(__day) AS lo, MAX(__day) AS hi FROM src_crm_leads
    UNION ALL
    SELECT MIN(__day) AS lo, MAX(__day) AS hi FROM src_deals
  ) AS e
),
-- the range
bounds AS (
  SELECT lo AS lo, hi AS hi FROM extent
),
-- every month from the first to the last day, gaps included
period_starts AS (
  SELECT p FROM bounds AS b, UNNEST(GENERATE_DATE_ARRAY(DATE_TRUNC(b.lo, MONTH), b.hi, INTERVAL 1 MONTH)) AS p WHERE b.lo <= b.hi
),
-- the timeline: index, first day and key of each period
periods AS (
  SELECT p AS __start, ROW_NUMBER() OVER (ORDER BY p) - 1 AS __p, FORMAT_DATE('%Y-%m', p) AS __key
  FROM period_starts
),
-- the days counted
days AS (
  SELECT lo, hi FROM bounds
),
-- rows of web in range, with their period
rows_web AS (
  SELECT s.*, p.__p
  FROM src_web AS s
  JOIN periods AS p ON p.__start = DATE_TRUNC(s.__day, MONTH)
  WHERE s.__day >= (SELECT lo FROM days) AND s.__day <= (SELECT hi FROM days)
),
-- rows of sessions in range, with their period
rows_sessions AS (
  SELECT s.*, p.__p
  FROM src_sessions AS s
  JOIN periods AS p ON p.__start = DATE_TRUNC(s.__day, MONTH)
  WHERE s.__day >= (SELECT lo FROM days) AND s.__day <= (SELECT hi FROM days)
),
-- rows of order_log in range, with their period
rows_order_log AS (
  SELECT s.*, p.__p
  FROM src_order_log AS s
  JOIN periods AS p ON p.__start = DATE_TRUNC(s.__day, MONTH)
  WHERE s.__day >= (SELECT lo FROM days) AND s.__day <= (SELECT hi FROM days)
),
-- rows of ads in range, with their period
rows_ads AS (
  SELECT s.*, p.__p
  FROM src_ads AS s
  JOIN periods AS p ON p.__start = DATE_TRUNC(s.__day, MONTH)
  WHERE s.__day >= (SELECT lo FROM days) AND s.__day <= (SELECT hi FROM days)
),
-- rows of customers in range, with their period
rows_customers AS (
  SELECT s.*, p.__p
  FROM src_customers AS s
  JOIN periods AS p ON p.__start = DATE_TRUNC(s.__day, MONTH)
  WHERE s.__day >= (SELECT lo FROM days) AND s.__day <= (SELECT hi FROM days)
),
-- rows of social in range, with their period
rows_social AS (
  SELECT s.*, p.__p
  FROM src_social AS s
  JOIN periods AS p ON p.__start = DATE_TRUNC(s.__day, MONTH)
  WHERE s.__day >= (SELECT lo FROM days) AND s.__day <= (SELECT hi FROM days)
),
-- rows of email in range, with their period
rows_email AS (
  SELECT s.*, p.__p
  FROM src_email AS s
  JOIN periods AS p ON p.__start = DATE_TRUNC(s.__day, MONTH)
  WHERE s.__day >= (SELECT lo FROM days) AND s.__day <= (SELECT hi FROM days)
),
-- rows of lead_log in range, with their period
rows_lead_log AS (
  SELECT s.*, p.__p
  FROM src_lead_log AS s
  JOIN periods AS p ON p.__start = DATE_TRUNC(s.__day, MONTH)
  WHERE s.__day >= (SELECT lo FROM days) AND s.__day <= (SELECT hi FROM days)
),
-- rows of crm_leads in range, with their period
rows_crm_leads AS (
  SELECT s.*, p.__p
  FROM src_crm_leads AS s
  JOIN periods AS p ON p.__start = DATE_TRUNC(s.__day, MONTH)
  WHERE s.__day >= (SELECT lo FROM days) AND s.__day <= (SELECT hi FROM days)
),
-- rows of deals in range, with their period
rows_deals AS (
  SELECT s.*, p.__p
  FROM src_deals AS s
  JOIN periods AS p ON p.__start = DATE_TRUNC(s.__day, MONTH)
  WHERE s.__day >= (SELECT lo FROM days) AND s.__day <= (SELECT hi FROM days)
),
-- web: one row per period with rows
--   m_pageviews: sum of pageviews
--   m_visitors: sum of visitors
--   m_sessions: sum of sessions
--   m_session_seconds: sum of session_seconds
--   m_bounces: sum of bounces
--   m_organic_sessions: sum of sessions where channel == "organic"
--   m_add_to_carts: sum of add_to_carts
--   m_product_views: sum of product_views
--   m_checkouts: sum of checkouts
--   m_paid_sessions: sum of sessions where channel == "paid_search" or channel == "social"
agg_web AS (
  SELECT
    __p,
    COUNT(*) AS __rows,
    SUM(c_pageviews) AS m_pageviews,
    SUM(c_visitors) AS m_visitors,
    SUM(c_sessions) AS m_sessions,
    SUM(c_session_seconds) AS m_session_seconds,
    SUM(c_bounces) AS m_bounces,
    CASE WHEN COUNT(CASE WHEN (c_channel = 'organic') THEN 1 END) = 0 THEN 0.0 ELSE SUM(CASE WHEN (c_channel = 'organic') THEN c_sessions END) END AS m_organic_sessions,
    SUM(c_add_to_carts) AS m_add_to_carts,
    SUM(c_product_views) AS m_product_views,
    SUM(c_checkouts) AS m_checkouts,
    CASE WHEN COUNT(CASE WHEN ((c_channel = 'paid_search') OR (c_channel = 'social')) THEN 1 END) = 0 THEN 0.0 ELSE SUM(CASE WHEN ((c_channel = 'paid_search') OR (c_channel = 'social')) THEN c_sessions END) END AS m_paid_sessions
  FROM rows_web
  GROUP BY __p
),
-- web by channel: one row per period and group with rows
--   m_pageviews: sum of pageviews
--   m_visitors: sum of visitors
--   m_sessions: sum of sessions
--   m_session_seconds: sum of session_seconds
--   m_bounces: sum of bounces
--   m_add_to_carts: sum of add_to_carts
--   m_product_views: sum of product_views
--   m_checkouts: sum of checkouts
--   m_paid_sessions: sum of sessions where channel == "paid_search" or channel == "social"
agg_web__channel AS (
  SELECT
    __p,
    c_channel AS __g,
    COUNT(*) AS __rows,
    SUM(c_pageviews) AS m_pageviews,
    SUM(c_visitors) AS m_visitors,
    SUM(c_sessions) AS m_sessions,
    SUM(c_session_seconds) AS m_session_seconds,
    SUM(c_bounces) AS m_bounces,
    SUM(c_add_to_carts) AS m_add_to_carts,
    SUM(c_product_views) AS m_product_views,
    SUM(c_checkouts) AS m_checkouts,
    CASE WHEN COUNT(CASE WHEN ((c_channel = 'paid_search') OR (c_channel = 'social')) THEN 1 END) = 0 THEN 0.0 ELSE SUM(CASE WHEN ((c_channel = 'paid_search') OR (c_channel = 'social')) THEN c_sessions END) END AS m_paid_sessions
  FROM rows_web
  GROUP BY __p, c_channel
),
-- web by device: one row per period and group with rows
--   m_pageviews: sum of pageviews
--   m_visitors: sum of visitors
--   m_sessions: sum of sessions
--   m_session_seconds: sum of session_seconds
--   m_bounces: sum of bounces
--   m_organic_sessions: sum of sessions where channel == "organic"
--   m_add_to_carts: sum of add_to_carts
--   m_product_views: sum of product_views
--   m_checkouts: sum of checkouts
--   m_paid_sessions: sum of sessions where channel == "paid_search" or channel == "social"
agg_web__device AS (
  SELECT
    __p,
    c_device AS __g,
    COUNT(*) AS __rows,
    SUM(c_pageviews) AS m_pageviews,
    SUM(c_visitors) AS m_visitors,
    SUM(c_sessions) AS m_sessions,
    SUM(c_session_seconds) AS m_session_seconds,
    SUM(c_bounces) AS m_bounces,
    CASE WHEN COUNT(CASE WHEN (c_channel = 'organic') THEN 1 END) = 0 THEN 0.0 ELSE SUM(CASE WHEN (c_channel = 'organic') THEN c_sessions END) END AS m_organic_sessions,
    SUM(c_add_to_carts) AS m_add_to_carts,
    SUM(c_product_views) AS m_product_views,
    SUM(c_checkouts) AS m_checkouts,
    CASE WHEN COUNT(CASE WHEN ((c_channel = 'paid_search') OR (c_channel = 'social')) THEN 1 END) = 0 THEN 0.0 ELSE SUM(CASE WHEN ((c_channel = 'paid_search') OR (c_channel = 'social')) THEN c_sessions END) END AS m_paid_sessions
  FROM rows_web
  GROUP BY __p, c_device
),
-- web by region: one row per period and group with rows
--   m_paid_sessions: sum of sessions where channel == "paid_search" or channel == "social"
agg_web__region AS (
  SELECT
    __p,
    c_region AS __g,
    COUNT(*) AS __rows,
    CASE WHEN COUNT(CASE WHEN ((c_channel = 'paid_search') OR (c_channel = 'social')) THEN 1 END) = 0 THEN 0.0 ELSE SUM(CASE WHEN ((c_channel = 'paid_search') OR (c_channel = 'social')) THEN c_sessions END) END AS m_paid_sessions
  FROM rows_web
  GROUP BY __p, c_region
),
-- sessions: one row per period with rows
--   m_sampled_bounces: count where pageviews == 1
--   m_sampled_sessions: count
--   m_sampled_pageviews: sum of pageviews
--   m_sampled_revenue: sum of revenue
agg_sessions AS (
  SELECT
    __p,
    COUNT(*) AS __rows,
    CAST(COUNT(CASE WHEN (a_pageviews = 1.0) THEN 1 END) AS FLOAT64) AS m_sampled_bounces,
    CAST(COUNT(*) AS FLOAT64) AS m_sampled_sessions,
    SUM(a_pageviews) AS m_sampled_pageviews,
    SUM(a_revenue) AS m_sampled_revenue
  FROM rows_sessions
  GROUP BY __p
),
-- sessions by channel: one row per period and group with rows
--   m_sampled_bounces: count where pageviews == 1
--   m_sampled_sessions: count
--   m_sampled_pageviews: sum of pageviews
--   m_sampled_revenue: sum of revenue
agg_sessions__channel AS (
  SELECT
    __p,
    a_channel AS __g,
    COUNT(*) AS __rows,
    CAST(COUNT(CASE WHEN (a_pageviews = 1.0) THEN 1 END) AS FLOAT64) AS m_sampled_bounces,
    CAST(COUNT(*) AS FLOAT64) AS m_sampled_sessions,
    SUM(a_pageviews) AS m_sampled_pageviews,
    SUM(a_revenue) AS m_sampled_revenue
  FROM rows_sessions
  GROUP BY __p, a_channel
),
-- sessions by device: one row per period and group with rows
--   m_sampled_bounces: count where pageviews == 1
--   m_sampled_sessions: count
--   m_sampled_pageviews: sum of pageviews
--   m_sampled_revenue: sum of revenue
agg_sessions__device AS (
  SELECT
    __p,
    a_device AS __g,
    COUNT(*) AS __rows,
    CAST(COUNT(CASE WHEN (a_pageviews = 1.0) THEN 1 END) AS FLOAT64) AS m_sampled_bounces,
    CAST(COUNT(*) AS FLOAT64) AS m_sampled_sessions,
    SUM(a_pageviews) AS m_sampled_pageviews,
    SUM(a_revenue) AS m_sampled_revenue
  FROM rows_sessions
  GROUP BY __p, a_device
),
-- order_log: one row per period with rows
--   m_orders: count
--   m_paid_orders: count where channel == "paid_search" or channel == "social"
--   m_revenue: sum of amount
--   m_items_sold: sum of items
--   m_customers: count_distinct of customer_id
--   m_repeat_customers: count_distinct of customer_id where returning
--   m_paid_revenue: sum of amount where channel == "paid_search" or channel == "social"
agg_order_log AS (
  SELECT
    __p,
    COUNT(*) AS __rows,
    CAST(COUNT(*) AS FLOAT64) AS m_orders,
    CAST(COUNT(CASE WHEN ((c_channel = 'paid_search') OR (c_channel = 'social')) THEN 1 END) AS FLOAT64) AS m_paid_orders,
    SUM(c_amount) AS m_revenue,
    SUM(c_items) AS m_items_sold,
    CAST(COUNT(DISTINCT c_customer_id) AS FLOAT64) AS m_customers,
    CAST(COUNT(DISTINCT CASE WHEN d_returning THEN c_customer_id END) AS FLOAT64) AS m_repeat_customers,
    CASE WHEN COUNT(CASE WHEN ((c_channel = 'paid_search') OR (c_channel = 'social')) THEN 1 END) = 0 THEN 0.0 ELSE SUM(CASE WHEN ((c_channel = 'paid_search') OR (c_channel = 'social')) THEN c_amount END) END AS m_paid_revenue
  FROM rows_order_log
  GROUP BY __p
),
-- order_log by channel: one row per period and group with rows
--   m_orders: count
--   m_paid_orders: count where channel == "paid_search" or channel == "social"
--   m_paid_revenue: sum of amount where channel == "paid_search" or channel == "social"
--   m_revenue: sum of amount
--   m_items_sold: sum of items
agg_order_log__channel AS (
  SELECT
    __p,
    c_channel AS __g,
    COUNT(*) AS __rows,
    CAST(COUNT(*) AS FLOAT64) AS m_orders,
    CAST(COUNT(CASE WHEN ((c_channel = 'paid_search') OR (c_channel = 'social')) THEN 1 END) AS FLOAT64) AS m_paid_orders,
    CASE WHEN COUNT(CASE WHEN ((c_channel = 'paid_search') OR (c_channel = 'social')) THEN 1 END) = 0 THEN 0.0 ELSE SUM(CASE WHEN ((c_channel = 'paid_search') OR (c_channel = 'social')) THEN c_amount END) END AS m_paid_revenue,
    SUM(c_amount) AS m_revenue,
    SUM(c_items) AS m_items_sold
  FROM rows_order_log
  GROUP BY __p, c_channel
),
-- order_log by device: one row per period and group with rows
--   m_orders: count
--   m_paid_orders: count where channel == "paid_search" or channel == "social"
--   m_revenue: sum of amount
--   m_items_sold: sum of items
agg_order_log__device AS (
  SELECT
    __p,
    c_device AS __g,
    COUNT(*) AS __rows,
    CAST(COUNT(*) AS FLOAT64) AS m_orders,
    CAST(COUNT(CASE WHEN ((c_channel = 'paid_search') OR (c_channel = 'social')) THEN 1 END) AS FLOAT64) AS m_paid_orders,
    SUM(c_amount) AS m_revenue,
    SUM(c_items) AS m_items_sold
  FROM rows_order_log
  GROUP BY __p, c_device
),
-- order_log by region: one row per period and group with rows
--   m_paid_orders: count where channel == "paid_search" or channel == "social"
--   m_revenue: sum of amount
--   m_orders: count
--   m_items_sold: sum of items
--   m_customers: count_distinct of customer_id
--   m_repeat_customers: count_distinct of customer_id where returning
agg_order_log__region AS (
  SELECT
    __p,
    c_region AS __g,
    COUNT(*) AS __rows,
    CAST(COUNT(CASE WHEN ((c_channel = 'paid_search') OR (c_channel = 'social')) THEN 1 END) AS FLOAT64) AS m_paid_orders,
    SUM(c_amount) AS m_revenue,
    CAST(COUNT(*) AS FLOAT64) AS m_orders,
    SUM(c_items) AS m_items_sold,
    CAST(COUNT(DISTINCT c_customer_id) AS FLOAT64) AS m_customers,
    CAST(COUNT(DISTINCT CASE WHEN d_returning THEN c_customer_id END) AS FLOAT64) AS m_repeat_customers
  FROM rows_order_log
  GROUP BY __p, c_region
),
-- order_log by cohort: one row per period and group with rows
--   m_revenue: sum of amount
agg_order_log__cohort AS (
  SELECT
    __p,
    d_cohort AS __g,
    COUNT(*) AS __rows,
    SUM(c_amount) AS m_revenue
  FROM rows_order_log
  GROUP BY __p, d_cohort
),
-- ads: one row per period with rows
--   m_ad_spend: sum of spend
--   m_ad_clicks: sum of clicks
--   m_ad_impressions: sum of impressions
agg_ads AS (
  SELECT
    __p,
    COUNT(*) AS __rows,
    SUM(c_spend) AS m_ad_spend,
    SUM(c_clicks) AS m_ad_clicks,
    SUM(c_impressions) AS m_ad_impressions
  FROM rows_ads
  GROUP BY __p
),
-- ads by channel: one row per period and group with rows
--   m_ad_spend: sum of spend
--   m_ad_clicks: sum of clicks
--   m_ad_impressions: sum of impressions
agg_ads__channel AS (
  SELECT
    __p,
    c_channel AS __g,
    COUNT(*) AS __rows,
    SUM(c_spend) AS m_ad_spend,
    SUM(c_clicks) AS m_ad_clicks,
    SUM(c_impressions) AS m_ad_impressions
  FROM rows_ads
  GROUP BY __p, c_channel
),
-- ads by campaign: one row per period and group with rows
--   m_ad_spend: sum of spend
--   m_ad_clicks: sum of clicks
--   m_ad_impressions: sum of impressions
agg_ads__campaign AS (
  SELECT
    __p,
    c_campaign AS __g,
    COUNT(*) AS __rows,
    SUM(c_spend) AS m_ad_spend,
    SUM(c_clicks) AS m_ad_clicks,
    SUM(c_impressions) AS m_ad_impressions
  FROM rows_ads
  GROUP BY __p, c_campaign
),
-- customers: one row per period with rows
--   m_repeat_buyers: count where orders >= 2
--   m_first_time_buyers: count
agg_customers AS (
  SELECT
    __p,
    COUNT(*) AS __rows,
    CAST(COUNT(CASE WHEN (a_orders >= 2.0) THEN 1 END) AS FLOAT64) AS m_repeat_buyers,
    CAST(COUNT(*) AS FLOAT64) AS m_first_time_buyers
  FROM rows_customers
  GROUP BY __p
),
-- customers by channel: one row per period and group with rows
--   m_repeat_buyers: count where orders >= 2
--   m_first_time_buyers: count
agg_customers__channel AS (
  SELECT
    __p,
    a_channel AS __g,
    COUNT(*) AS __rows,
    CAST(COUNT(CASE WHEN (a_orders >= 2.0) THEN 1 END) AS FLOAT64) AS m_repeat_buyers,
    CAST(COUNT(*) AS FLOAT64) AS m_first_time_buyers
  FROM rows_customers
  GROUP BY __p, a_channel
),
-- social: one row per period with rows
--   m_avg_followers: avg of followers
--   m_new_followers: sum of new_followers
--   m_lost_followers: sum of lost_followers
--   m_social_engagements: sum of engagements
--   m_social_reach: sum of reach
agg_social AS (
  SELECT
    __p,
    COUNT(*) AS __rows,
    AVG(c_followers) AS m_avg_followers,
    SUM(c_new_followers) AS m_new_followers,
    SUM(c_lost_followers) AS m_lost_followers,
    SUM(c_engagements) AS m_social_engagements,
    SUM(c_reach) AS m_social_reach
  FROM rows_social
  GROUP BY __p
),
-- social by platform: one row per period and group with rows
--   m_avg_followers: avg of followers
--   m_new_followers: sum of new_followers
--   m_lost_followers: sum of lost_followers
--   m_social_engagements: sum of engagements
--   m_social_reach: sum of reach
agg_social__platform AS (
  SELECT
    __p,
    c_platform AS __g,
    COUNT(*) AS __rows,
    AVG(c_followers) AS m_avg_followers,
    SUM(c_new_followers) AS m_new_followers,
    SUM(c_lost_followers) AS m_lost_followers,
    SUM(c_engagements) AS m_social_engagements,
    SUM(c_reach) AS m_social_reach
  FROM rows_social
  GROUP BY __p, c_platform
),
-- email: one row per period with rows
--   m_email_opens: sum of opens
--   m_email_delivered: sum of delivered
--   m_email_clicks: sum of clicks
--   m_email_conversions: sum of conversions
--   m_email_unsubscribes: sum of unsubscribes
--   m_email_revenue: sum of revenue
--   m_email_sent: sum of sent
agg_email AS (
  SELECT
    __p,
    COUNT(*) AS __rows,
    SUM(c_opens) AS m_email_opens,
    SUM(c_delivered) AS m_email_delivered,
    SUM(c_clicks) AS m_email_clicks,
    SUM(c_conversions) AS m_email_conversions,
    SUM(c_unsubscribes) AS m_email_unsubscribes,
    SUM(c_revenue) AS m_email_revenue,
    SUM(c_sent) AS m_email_sent
  FROM rows_email
  GROUP BY __p
),
-- email by segment: one row per period and group with rows
--   m_email_opens: sum of opens
--   m_email_delivered: sum of delivered
--   m_email_clicks: sum of clicks
--   m_email_conversions: sum of conversions
--   m_email_unsubscribes: sum of unsubscribes
--   m_email_revenue: sum of revenue
--   m_email_sent: sum of sent
agg_email__segment AS (
  SELECT
    __p,
    c_segment AS __g,
    COUNT(*) AS __rows,
    SUM(c_opens) AS m_email_opens,
    SUM(c_delivered) AS m_email_delivered,
    SUM(c_clicks) AS m_email_clicks,
    SUM(c_conversions) AS m_email_conversions,
    SUM(c_unsubscribes) AS m_email_unsubscribes,
    SUM(c_revenue) AS m_email_revenue,
    SUM(c_sent) AS m_email_sent
  FROM rows_email
  GROUP BY __p, c_segment
),
-- email by campaign: one row per period and group with rows
--   m_email_opens: sum of opens
--   m_email_delivered: sum of delivered
--   m_email_clicks: sum of clicks
--   m_email_conversions: sum of conversions
--   m_email_unsubscribes: sum of unsubscribes
--   m_email_revenue: sum of revenue
--   m_email_sent: sum of sent
agg_email__campaign AS (
  SELECT
    __p,
    c_campaign AS __g,
    COUNT(*) AS __rows,
    SUM(c_opens) AS m_email_opens,
    SUM(c_delivered) AS m_email_delivered,
    SUM(c_clicks) AS m_email_clicks,
    SUM(c_conversions) AS m_email_conversions,
    SUM(c_unsubscribes) AS m_email_unsubscribes,
    SUM(c_revenue) AS m_email_revenue,
    SUM(c_sent) AS m_email_sent
  FROM rows_email
  GROUP BY __p, c_campaign
),
-- lead_log: one row per period with rows
--   m_leads: sum of leads
--   m_qualified_leads: sum of qualified_leads
agg_lead_log AS (
  SELECT
    __p,
    COUNT(*) AS __rows,
    SUM(c_leads) AS m_leads,
    SUM(c_qualified_leads) AS m_qualified_leads
  FROM rows_lead_log
  GROUP BY __p
),
-- lead_log by channel: one row per period and group with rows
--   m_leads: sum of leads
--   m_qualified_leads: sum of qualified_leads
agg_lead_log__channel AS (
  SELECT
    __p,
    c_channel AS __g,
    COUNT(*) AS __rows,
    SUM(c_leads) AS m_leads,
    SUM(c_qualified_leads) AS m_qualified_leads
  FROM rows_lead_log
  GROUP BY __p, c_channel
),
-- crm_leads: one row per period with rows
--   m_won_leads: count where matched(deal)
--   m_crm_leads: count
--   m_avg_days_to_close: avg of days_to_close
agg_crm_leads AS (
  SELECT
    __p,
    COUNT(*) AS __rows,
    CAST(COUNT(CASE WHEN m_deal THEN 1 END) AS FLOAT64) AS m_won_leads,
    CAST(COUNT(*) AS FLOAT64) AS m_crm_leads,
    AVG(d_days_to_close) AS m_avg_days_to_close
  FROM rows_crm_leads
  GROUP BY __p
),
-- crm_leads by channel: one row per period and group with rows
--   m_won_leads: count where matched(deal)
--   m_crm_leads: count
agg_crm_leads__channel AS (
  SELECT
    __p,
    c_channel AS __g,
    COUNT(*) AS __rows,
    CAST(COUNT(CASE WHEN m_deal THEN 1 END) AS FLOAT64) AS m_won_leads,
    CAST(COUNT(*) AS FLOAT64) AS m_crm_leads
  FROM rows_crm_leads
  GROUP BY __p, c_channel
),
-- crm_leads by segment: one row per period and group with rows
--   m_won_leads: count where matched(deal)
--   m_crm_leads: count
--   m_avg_days_to_close: avg of days_to_close
agg_crm_leads__segment AS (
  SELECT
    __p,
    c_segment AS __g,
    COUNT(*) AS __rows,
    CAST(COUNT(CASE WHEN m_deal THEN 1 END) AS FLOAT64) AS m_won_leads,
    CAST(COUNT(*) AS FLOAT64) AS m_crm_leads,
    AVG(d_days_to_close) AS m_avg_days_to_close
  FROM rows_crm_leads
  GROUP BY __p, c_segment
),
-- deals: one row per period with rows
--   m_deal_value: sum of amount
agg_deals AS (
  SELECT
    __p,
    COUNT(*) AS __rows,
    SUM(c_amount) AS m_deal_value
  FROM rows_deals
  GROUP BY __p
),
-- deals by sales_rep: one row per period and group with rows
--   m_deal_value: sum of amount
agg_deals__sales_rep AS (
  SELECT
    __p,
    c_sales_rep AS __g,
    COUNT(*) AS __rows,
    SUM(c_amount) AS m_deal_value
  FROM rows_deals
  GROUP BY __p, c_sales_rep
),
-- metric retained_customers: the distinct customer_id per cell
ids_retained_customers AS (
  SELECT DISTINCT __p, c_customer_id AS id
  FROM rows_order_log
  WHERE c_customer_id IS NOT NULL
),
-- metric retained_customers: ids seen in this period and in the one before, same group
retained_retained_customers AS (
  SELECT a.__p, COUNT(*) AS v
  FROM ids_retained_customers AS a
  JOIN ids_retained_customers AS b ON b.__p = a.__p - 1 AND b.id = a.id
  GROUP BY a.__p
),
-- metric new_customers: the first day of each customer_id
firsts_new_customers AS (
  SELECT MIN(__day) AS __day
  FROM src_order_log
  WHERE c_customer_id IS NOT NULL AND __day IS NOT NULL
  GROUP BY c_customer_id
),
-- metric new_customers: ids whose first row falls in each cell
first_seen_new_customers AS (
  SELECT p.__p, COUNT(*) AS v
  FROM firsts_new_customers AS f
  JOIN periods AS p ON p.__start = DATE_TRUNC(f.__day, MONTH)
  WHERE f.__day >= (SELECT lo FROM days) AND f.__day <= (SELECT hi FROM days)
  GROUP BY p.__p
),
-- metric retained_customers: the distinct customer_id per cell (by region)
ids_retained_customers__by AS (
  SELECT DISTINCT __p, c_region AS __g, c_customer_id AS id
  FROM rows_order_log
  WHERE c_customer_id IS NOT NULL
),
-- metric retained_customers: ids seen in this period and in the one before, same group
retained_retained_customers__by AS (
  SELECT a.__p, a.__g, COUNT(*) AS v
  FROM ids_retained_customers__by AS a
  JOIN ids_retained_customers__by AS b ON b.__p = a.__p - 1 AND b.id = a.id AND (b.__g = a.__g OR (b.__g IS NULL AND a.__g IS NULL))
  GROUP BY a.__p, a.__g
),
-- metric new_customers: the first day of each customer_id, and its group
firsts_new_customers__by AS (
  SELECT __day, __g
  FROM (
    SELECT __day, c_region AS __g, ROW_NUMBER() OVER (PARTITION BY c_customer_id ORDER BY __day, c_region) AS __n
    FROM src_order_log
    WHERE c_customer_id IS NOT NULL AND __day IS NOT NULL
  ) AS f
  WHERE __n = 1
),
-- metric new_customers: ids whose first row falls in each cell
first_seen_new_customers__by AS (
  SELECT p.__p, f.__g, COUNT(*) AS v
  FROM firsts_new_customers__by AS f
  JOIN periods AS p ON p.__start = DATE_TRUNC(f.__day, MONTH)
  WHERE f.__day >= (SELECT lo FROM days) AND f.__day <= (SELECT hi FROM days)
  GROUP BY p.__p, f.__g
),
-- KPIs totals: one row per period; the metrics meet here
total_0 AS (
  SELECT
    s.__p,
    s.__key,
    a_web.m_pageviews AS m_pageviews,
    a_web.m_visitors AS m_visitors,
    a_web.m_sessions AS m_sessions,
    a_web.m_session_seconds AS m_session_seconds,
    a_web.m_bounces AS m_bounces,
    a_web.m_organic_sessions AS m_organic_sessions,
    a_sessions.m_sampled_bounces AS m_sampled_bounces,
    a_sessions.m_sampled_sessions AS m_sampled_sessions,
    a_sessions.m_sampled_pageviews AS m_sampled_pageviews,
    a_sessions.m_sampled_revenue AS m_sampled_revenue,
    a_order_log.m_orders AS m_orders,
    a_web.m_add_to_carts AS m_add_to_carts,
    a_web.m_product_views AS m_product_views,
    a_web.m_checkouts AS m_checkouts,
    a_order_log.m_paid_orders AS m_paid_orders,
    a_web.m_paid_sessions AS m_paid_sessions,
    a_ads.m_ad_spend AS m_ad_spend,
    a_order_log.m_revenue AS m_revenue,
    a_order_log.m_items_sold AS m_items_sold,
    CASE WHEN a_order_log.__rows IS NOT NULL AND s.__p > 0 THEN CAST(COALESCE(x_retained_customers.v, 0) AS FLOAT64) END AS m_retained_customers,
    a_order_log.m_customers AS m_customers,
    a_order_log.m_repeat_customers AS m_repeat_customers,
    a_customers.m_repeat_buyers AS m_repeat_buyers,
    a_customers.m_first_time_buyers AS m_first_time_buyers,
    CASE WHEN a_order_log.__rows IS NOT NULL THEN CAST(COALESCE(x_new_customers.v, 0) AS FLOAT64) END AS m_new_customers,
    a_social.m_avg_followers AS m_avg_followers,
    a_social.m_new_followers AS m_new_followers,
    a_social.m_lost_followers AS m_lost_followers,
    a_social.m_social_engagements AS m_social_engagements,
    a_social.m_social_reach AS m_social_reach,
    a_email.m_email_opens AS m_email_opens,
    a_email.m_email_delivered AS m_email_delivered,
    a_email.m_email_clicks AS m_email_clicks,
    a_email.m_email_conversions AS m_email_conversions,
    a_email.m_email_unsubscribes AS m_email_unsubscribes,
    a_email.m_email_revenue AS m_email_revenue,
    a_email.m_email_sent AS m_email_sent,
    a_order_log.m_paid_revenue AS m_paid_revenue,
    a_ads.m_ad_clicks AS m_ad_clicks,
    a_ads.m_ad_impressions AS m_ad_impressions,
    a_lead_log.m_leads AS m_leads,
    a_lead_log.m_qualified_leads AS m_qualified_leads,
    a_crm_leads.m_won_leads AS m_won_leads,
    a_crm_leads.m_crm_leads AS m_crm_leads,
    a_crm_leads.m_avg_days_to_close AS m_avg_days_to_close,
    a_deals.m_deal_value AS m_deal_value
  FROM periods AS s
  LEFT JOIN agg_web AS a_web ON a_web.__p = s.__p
  LEFT JOIN agg_sessions AS a_sessions ON a_sessions.__p = s.__p
  LEFT JOIN agg_order_log AS a_order_log ON a_order_log.__p = s.__p
  LEFT JOIN agg_ads AS a_ads ON a_ads.__p = s.__p
  LEFT JOIN agg_customers AS a_customers ON a_customers.__p = s.__p
  LEFT JOIN agg_social AS a_social ON a_social.__p = s.__p
  LEFT JOIN agg_email AS a_email ON a_email.__p = s.__p
  LEFT JOIN agg_lead_log AS a_lead_log ON a_lead_log.__p = s.__p
  LEFT JOIN agg_crm_leads AS a_crm_leads ON a_crm_leads.__p = s.__p
  LEFT JOIN agg_deals AS a_deals ON a_deals.__p = s.__p
  LEFT JOIN retained_retained_customers AS x_retained_customers ON x_retained_customers.__p = s.__p
  LEFT JOIN first_seen_new_customers AS x_new_customers ON x_new_customers.__p = s.__p
),
-- kpi: pv = pageviews
-- kpi: uv = visitors
-- kpi: total_sessions = sessions
-- kpi: pages_per_session = pageviews / sessions
-- kpi: avg_session_duration = session_seconds / sessions
-- kpi: bounce_rate = bounces / sessions
-- kpi: traffic_growth = growth(sessions)
-- kpi: organic_share = organic_sessions / sessions
-- kpi: session_bounce_rate = sampled_bounces / sampled_sessions
-- kpi: session_pages = sampled_pageviews / sampled_sessions
-- kpi: revenue_per_session = sampled_revenue / sampled_sessions
-- kpi: conversion_rate = orders / sessions
-- kpi: add_to_cart_rate = add_to_carts / sessions
-- kpi: view_to_cart_rate = add_to_carts / product_views
-- kpi: checkout_completion_rate = orders / checkouts
-- kpi: paid_conversion_rate = paid_orders / paid_sessions
-- kpi: cost_per_conversion = ad_spend / paid_orders
-- kpi: aov = revenue / orders
-- kpi: items_per_order = items_sold / orders
-- kpi: retention_rate = retained_customers / prev(customers)
-- kpi: repurchase_rate = repeat_customers / customers
-- kpi: repeat_purchase_rate = repeat_buyers / first_time_buyers
-- kpi: revenue_by_cohort = revenue
-- kpi: new_customer_count = new_customers
-- kpi: follower_growth_rate = growth(avg_followers)
-- kpi: net_new_followers = new_followers - lost_followers
-- kpi: engagement_rate = social_engagements / social_reach
-- kpi: email_open_rate = email_opens / email_delivered
-- kpi: email_click_rate = email_clicks / email_delivered
-- kpi: click_to_open_rate = email_clicks / email_opens
-- kpi: email_conversion_rate = email_conversions / email_delivered
-- kpi: unsubscribe_rate = email_unsubscribes / email_delivered
-- kpi: revenue_per_email = email_revenue / email_sent
-- kpi: total_revenue = revenue
-- kpi: revenue_3m = rolling(revenue, 3)
-- kpi: cumulative_revenue = cumulative(revenue)
-- kpi: ad_roi = (paid_revenue - ad_spend) / ad_spend
-- kpi: roas = paid_revenue / ad_spend
-- kpi: cpc = ad_spend / ad_clicks
-- kpi: ad_ctr = ad_clicks / ad_impressions
-- kpi: cac = ad_spend / first_time_buyers
-- kpi: clv = rolling(revenue, 12) / rolling(first_time_buyers, 12) * 40%
-- kpi: lead_volume = leads
-- kpi: lead_qualification_rate = qualified_leads / leads
-- kpi: lead_to_deal_rate = won_leads / crm_leads
-- kpi: days_to_close = avg_days_to_close
-- kpi: won_deal_value = deal_value
total_1 AS (
  SELECT
    *,
    m_pageviews AS k_pv,
    m_visitors AS k_uv,
    m_sessions AS k_total_sessions,
    (m_pageviews / NULLIF(m_sessions, 0)) AS k_pages_per_session,
    (m_session_seconds / NULLIF(m_sessions, 0)) AS k_avg_session_duration,
    (m_bounces / NULLIF(m_sessions, 0)) AS k_bounce_rate,
    (m_sessions / NULLIF(LAG(m_sessions, 1) OVER (ORDER BY __p), 0) - 1) AS k_traffic_growth,
    (m_organic_sessions / NULLIF(m_sessions, 0)) AS k_organic_share,
    (m_sampled_bounces / NULLIF(m_sampled_sessions, 0)) AS k_session_bounce_rate,
    (m_sampled_pageviews / NULLIF(m_sampled_sessions, 0)) AS k_session_pages,
    (m_sampled_revenue / NULLIF(m_sampled_sessions, 0)) AS k_revenue_per_session,
    (m_orders / NULLIF(m_sessions, 0)) AS k_conversion_rate,
    (m_add_to_carts / NULLIF(m_sessions, 0)) AS k_add_to_cart_rate,
    (m_add_to_carts / NULLIF(m_product_views, 0)) AS k_view_to_cart_rate,
    (m_orders / NULLIF(m_checkouts, 0)) AS k_checkout_completion_rate,
    (m_paid_orders / NULLIF(m_paid_sessions, 0)) AS k_paid_conversion_rate,
    (m_ad_spend / NULLIF(m_paid_orders, 0)) AS k_cost_per_conversion,
    (m_revenue / NULLIF(m_orders, 0)) AS k_aov,
    (m_items_sold / NULLIF(m_orders, 0)) AS k_items_per_order,
    (m_retained_customers / NULLIF(LAG(m_customers, 1) OVER (ORDER BY __p), 0)) AS k_retention_rate,
    (m_repeat_customers / NULLIF(m_customers, 0)) AS k_repurchase_rate,
    (m_repeat_buyers / NULLIF(m_first_time_buyers, 0)) AS k_repeat_purchase_rate,
    m_revenue AS k_revenue_by_cohort,
    m_new_customers AS k_new_customer_count,
    (m_avg_followers / NULLIF(LAG(m_avg_followers, 1) OVER (ORDER BY __p), 0) - 1) AS k_follower_growth_rate,
    (m_new_followers - m_lost_followers) AS k_net_new_followers,
    (m_social_engagements / NULLIF(m_social_reach, 0)) AS k_engagement_rate,
    (m_email_opens / NULLIF(m_email_delivered, 0)) AS k_email_open_rate,
    (m_email_clicks / NULLIF(m_email_delivered, 0)) AS k_email_click_rate,
    (m_email_clicks / NULLIF(m_email_opens, 0)) AS k_click_to_open_rate,
    (m_email_conversions / NULLIF(m_email_delivered, 0)) AS k_email_conversion_rate,
    (m_email_unsubscribes / NULLIF(m_email_delivered, 0)) AS k_unsubscribe_rate,
    (m_email_revenue / NULLIF(m_email_sent, 0)) AS k_revenue_per_email,
    m_revenue AS k_total_revenue,
    (CASE WHEN __p >= 2 THEN SUM(m_revenue) OVER (ORDER BY __p ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) END) AS k_revenue_3m,
    SUM(m_revenue) OVER (ORDER BY __p ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS k_cumulative_revenue,
    ((m_paid_revenue - m_ad_spend) / NULLIF(m_ad_spend, 0)) AS k_ad_roi,
    (m_paid_revenue / NULLIF(m_ad_spend, 0)) AS k_roas,
    (m_ad_spend / NULLIF(m_ad_clicks, 0)) AS k_cpc,
    (m_ad_clicks / NULLIF(m_ad_impressions, 0)) AS k_ad_ctr,
    (m_ad_spend / NULLIF(m_first_time_buyers, 0)) AS k_cac,
    (((CASE WHEN __p >= 11 THEN SUM(m_revenue) OVER (ORDER BY __p ROWS BETWEEN 11 PRECEDING AND CURRENT ROW) END) / NULLIF((CASE WHEN __p >= 11 THEN SUM(m_first_time_buyers) OVER (ORDER BY __p ROWS BETWEEN 11 PRECEDING AND CURRENT ROW) END), 0)) * 0.4) AS k_clv,
    m_leads AS k_lead_volume,
    (m_qualified_leads / NULLIF(m_leads, 0)) AS k_lead_qualification_rate,
    (m_won_leads / NULLIF(m_crm_leads, 0)) AS k_lead_to_deal_rate,
    m_avg_days_to_close AS k_days_to_close,
    m_deal_value AS k_won_deal_value
  FROM total_0
),
-- kpi: clv_cac_ratio = clv / cac
total_2 AS (
  SELECT
    *,
    (k_clv / NULLIF(k_cac, 0)) AS k_clv_cac_ratio
  FROM total_1
),
-- KPIs by channel over web: one row per period and group; the metrics meet here
by_channel_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_web.m_pageviews AS m_pageviews,
    a_web.m_visitors AS m_visitors,
    a_web.m_sessions AS m_sessions,
    a_web.m_session_seconds AS m_session_seconds,
    a_web.m_bounces AS m_bounces,
    a_web.m_add_to_carts AS m_add_to_carts,
    a_web.m_product_views AS m_product_views
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_channel AS __g FROM src_web
  ) AS gr
  LEFT JOIN agg_web__channel AS a_web ON a_web.__p = s.__p AND (a_web.__g = gr.__g OR (a_web.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: pv = pageviews
-- kpi: uv = visitors
-- kpi: total_sessions = sessions
-- kpi: pages_per_session = pageviews / sessions
-- kpi: avg_session_duration = session_seconds / sessions
-- kpi: bounce_rate = bounces / sessions
-- kpi: traffic_growth = growth(sessions)
-- kpi: add_to_cart_rate = add_to_carts / sessions
-- kpi: view_to_cart_rate = add_to_carts / product_views
by_channel_1 AS (
  SELECT
    *,
    m_pageviews AS k_pv,
    m_visitors AS k_uv,
    m_sessions AS k_total_sessions,
    (m_pageviews / NULLIF(m_sessions, 0)) AS k_pages_per_session,
    (m_session_seconds / NULLIF(m_sessions, 0)) AS k_avg_session_duration,
    (m_bounces / NULLIF(m_sessions, 0)) AS k_bounce_rate,
    (m_sessions / NULLIF(LAG(m_sessions, 1) OVER (PARTITION BY __g ORDER BY __p), 0) - 1) AS k_traffic_growth,
    (m_add_to_carts / NULLIF(m_sessions, 0)) AS k_add_to_cart_rate,
    (m_add_to_carts / NULLIF(m_product_views, 0)) AS k_view_to_cart_rate
  FROM by_channel_0
),
-- KPIs by device over web: one row per period and group; the metrics meet here
by_device_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_web.m_pageviews AS m_pageviews,
    a_web.m_visitors AS m_visitors,
    a_web.m_sessions AS m_sessions,
    a_web.m_session_seconds AS m_session_seconds,
    a_web.m_bounces AS m_bounces,
    a_web.m_organic_sessions AS m_organic_sessions,
    a_web.m_add_to_carts AS m_add_to_carts,
    a_web.m_product_views AS m_product_views
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_device AS __g FROM src_web
  ) AS gr
  LEFT JOIN agg_web__device AS a_web ON a_web.__p = s.__p AND (a_web.__g = gr.__g OR (a_web.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: pv = pageviews
-- kpi: uv = visitors
-- kpi: total_sessions = sessions
-- kpi: pages_per_session = pageviews / sessions
-- kpi: avg_session_duration = session_seconds / sessions
-- kpi: bounce_rate = bounces / sessions
-- kpi: traffic_growth = growth(sessions)
-- kpi: organic_share = organic_sessions / sessions
-- kpi: add_to_cart_rate = add_to_carts / sessions
-- kpi: view_to_cart_rate = add_to_carts / product_views
by_device_1 AS (
  SELECT
    *,
    m_pageviews AS k_pv,
    m_visitors AS k_uv,
    m_sessions AS k_total_sessions,
    (m_pageviews / NULLIF(m_sessions, 0)) AS k_pages_per_session,
    (m_session_seconds / NULLIF(m_sessions, 0)) AS k_avg_session_duration,
    (m_bounces / NULLIF(m_sessions, 0)) AS k_bounce_rate,
    (m_sessions / NULLIF(LAG(m_sessions, 1) OVER (PARTITION BY __g ORDER BY __p), 0) - 1) AS k_traffic_growth,
    (m_organic_sessions / NULLIF(m_sessions, 0)) AS k_organic_share,
    (m_add_to_carts / NULLIF(m_sessions, 0)) AS k_add_to_cart_rate,
    (m_add_to_carts / NULLIF(m_product_views, 0)) AS k_view_to_cart_rate
  FROM by_device_0
),
-- KPIs by channel over sessions: one row per period and group; the metrics meet here
by_channel_2_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_sessions.m_sampled_bounces AS m_sampled_bounces,
    a_sessions.m_sampled_sessions AS m_sampled_sessions,
    a_sessions.m_sampled_pageviews AS m_sampled_pageviews,
    a_sessions.m_sampled_revenue AS m_sampled_revenue
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT a_channel AS __g FROM src_sessions
  ) AS gr
  LEFT JOIN agg_sessions__channel AS a_sessions ON a_sessions.__p = s.__p AND (a_sessions.__g = gr.__g OR (a_sessions.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: session_bounce_rate = sampled_bounces / sampled_sessions
-- kpi: session_pages = sampled_pageviews / sampled_sessions
-- kpi: revenue_per_session = sampled_revenue / sampled_sessions
by_channel_2_1 AS (
  SELECT
    *,
    (m_sampled_bounces / NULLIF(m_sampled_sessions, 0)) AS k_session_bounce_rate,
    (m_sampled_pageviews / NULLIF(m_sampled_sessions, 0)) AS k_session_pages,
    (m_sampled_revenue / NULLIF(m_sampled_sessions, 0)) AS k_revenue_per_session
  FROM by_channel_2_0
),
-- KPIs by device over sessions: one row per period and group; the metrics meet here
by_device_2_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_sessions.m_sampled_bounces AS m_sampled_bounces,
    a_sessions.m_sampled_sessions AS m_sampled_sessions,
    a_sessions.m_sampled_pageviews AS m_sampled_pageviews,
    a_sessions.m_sampled_revenue AS m_sampled_revenue
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT a_device AS __g FROM src_sessions
  ) AS gr
  LEFT JOIN agg_sessions__device AS a_sessions ON a_sessions.__p = s.__p AND (a_sessions.__g = gr.__g OR (a_sessions.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: session_bounce_rate = sampled_bounces / sampled_sessions
-- kpi: session_pages = sampled_pageviews / sampled_sessions
-- kpi: revenue_per_session = sampled_revenue / sampled_sessions
by_device_2_1 AS (
  SELECT
    *,
    (m_sampled_bounces / NULLIF(m_sampled_sessions, 0)) AS k_session_bounce_rate,
    (m_sampled_pageviews / NULLIF(m_sampled_sessions, 0)) AS k_session_pages,
    (m_sampled_revenue / NULLIF(m_sampled_sessions, 0)) AS k_revenue_per_session
  FROM by_device_2_0
),
-- KPIs by channel over order_log, web: one row per period and group; the metrics meet here
by_channel_3_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_order_log.m_orders AS m_orders,
    a_web.m_sessions AS m_sessions,
    a_web.m_checkouts AS m_checkouts,
    a_order_log.m_paid_orders AS m_paid_orders,
    a_web.m_paid_sessions AS m_paid_sessions
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_channel AS __g FROM src_order_log
    UNION DISTINCT
    SELECT DISTINCT c_channel AS __g FROM src_web
  ) AS gr
  LEFT JOIN agg_order_log__channel AS a_order_log ON a_order_log.__p = s.__p AND (a_order_log.__g = gr.__g OR (a_order_log.__g IS NULL AND gr.__g IS NULL))
  LEFT JOIN agg_web__channel AS a_web ON a_web.__p = s.__p AND (a_web.__g = gr.__g OR (a_web.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: conversion_rate = orders / sessions
-- kpi: checkout_completion_rate = orders / checkouts
-- kpi: paid_conversion_rate = paid_orders / paid_sessions
by_channel_3_1 AS (
  SELECT
    *,
    (m_orders / NULLIF(m_sessions, 0)) AS k_conversion_rate,
    (m_orders / NULLIF(m_checkouts, 0)) AS k_checkout_completion_rate,
    (m_paid_orders / NULLIF(m_paid_sessions, 0)) AS k_paid_conversion_rate
  FROM by_channel_3_0
),
-- KPIs by device over order_log, web: one row per period and group; the metrics meet here
by_device_3_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_order_log.m_orders AS m_orders,
    a_web.m_sessions AS m_sessions,
    a_web.m_checkouts AS m_checkouts,
    a_order_log.m_paid_orders AS m_paid_orders,
    a_web.m_paid_sessions AS m_paid_sessions
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_device AS __g FROM src_order_log
    UNION DISTINCT
    SELECT DISTINCT c_device AS __g FROM src_web
  ) AS gr
  LEFT JOIN agg_order_log__device AS a_order_log ON a_order_log.__p = s.__p AND (a_order_log.__g = gr.__g OR (a_order_log.__g IS NULL AND gr.__g IS NULL))
  LEFT JOIN agg_web__device AS a_web ON a_web.__p = s.__p AND (a_web.__g = gr.__g OR (a_web.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: conversion_rate = orders / sessions
-- kpi: checkout_completion_rate = orders / checkouts
-- kpi: paid_conversion_rate = paid_orders / paid_sessions
by_device_3_1 AS (
  SELECT
    *,
    (m_orders / NULLIF(m_sessions, 0)) AS k_conversion_rate,
    (m_orders / NULLIF(m_checkouts, 0)) AS k_checkout_completion_rate,
    (m_paid_orders / NULLIF(m_paid_sessions, 0)) AS k_paid_conversion_rate
  FROM by_device_3_0
),
-- KPIs by region over order_log, web: one row per period and group; the metrics meet here
by_region_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_order_log.m_paid_orders AS m_paid_orders,
    a_web.m_paid_sessions AS m_paid_sessions
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_region AS __g FROM src_order_log
    UNION DISTINCT
    SELECT DISTINCT c_region AS __g FROM src_web
  ) AS gr
  LEFT JOIN agg_order_log__region AS a_order_log ON a_order_log.__p = s.__p AND (a_order_log.__g = gr.__g OR (a_order_log.__g IS NULL AND gr.__g IS NULL))
  LEFT JOIN agg_web__region AS a_web ON a_web.__p = s.__p AND (a_web.__g = gr.__g OR (a_web.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: paid_conversion_rate = paid_orders / paid_sessions
by_region_1 AS (
  SELECT
    *,
    (m_paid_orders / NULLIF(m_paid_sessions, 0)) AS k_paid_conversion_rate
  FROM by_region_0
),
-- KPIs by channel over ads, order_log: one row per period and group; the metrics meet here
by_channel_4_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_ads.m_ad_spend AS m_ad_spend,
    a_order_log.m_paid_orders AS m_paid_orders,
    a_order_log.m_paid_revenue AS m_paid_revenue
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_channel AS __g FROM src_ads
    UNION DISTINCT
    SELECT DISTINCT c_channel AS __g FROM src_order_log
  ) AS gr
  LEFT JOIN agg_ads__channel AS a_ads ON a_ads.__p = s.__p AND (a_ads.__g = gr.__g OR (a_ads.__g IS NULL AND gr.__g IS NULL))
  LEFT JOIN agg_order_log__channel AS a_order_log ON a_order_log.__p = s.__p AND (a_order_log.__g = gr.__g OR (a_order_log.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: cost_per_conversion = ad_spend / paid_orders
-- kpi: ad_roi = (paid_revenue - ad_spend) / ad_spend
-- kpi: roas = paid_revenue / ad_spend
by_channel_4_1 AS (
  SELECT
    *,
    (m_ad_spend / NULLIF(m_paid_orders, 0)) AS k_cost_per_conversion,
    ((m_paid_revenue - m_ad_spend) / NULLIF(m_ad_spend, 0)) AS k_ad_roi,
    (m_paid_revenue / NULLIF(m_ad_spend, 0)) AS k_roas
  FROM by_channel_4_0
),
-- KPIs by channel over order_log: one row per period and group; the metrics meet here
by_channel_5_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_order_log.m_revenue AS m_revenue,
    a_order_log.m_orders AS m_orders,
    a_order_log.m_items_sold AS m_items_sold
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_channel AS __g FROM src_order_log
  ) AS gr
  LEFT JOIN agg_order_log__channel AS a_order_log ON a_order_log.__p = s.__p AND (a_order_log.__g = gr.__g OR (a_order_log.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: aov = revenue / orders
-- kpi: items_per_order = items_sold / orders
-- kpi: total_revenue = revenue
-- kpi: revenue_3m = rolling(revenue, 3)
-- kpi: cumulative_revenue = cumulative(revenue)
by_channel_5_1 AS (
  SELECT
    *,
    (m_revenue / NULLIF(m_orders, 0)) AS k_aov,
    (m_items_sold / NULLIF(m_orders, 0)) AS k_items_per_order,
    m_revenue AS k_total_revenue,
    (CASE WHEN __p >= 2 THEN SUM(m_revenue) OVER (PARTITION BY __g ORDER BY __p ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) END) AS k_revenue_3m,
    SUM(m_revenue) OVER (PARTITION BY __g ORDER BY __p ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS k_cumulative_revenue
  FROM by_channel_5_0
),
-- KPIs by device over order_log: one row per period and group; the metrics meet here
by_device_4_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_order_log.m_revenue AS m_revenue,
    a_order_log.m_orders AS m_orders,
    a_order_log.m_items_sold AS m_items_sold
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_device AS __g FROM src_order_log
  ) AS gr
  LEFT JOIN agg_order_log__device AS a_order_log ON a_order_log.__p = s.__p AND (a_order_log.__g = gr.__g OR (a_order_log.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: aov = revenue / orders
-- kpi: items_per_order = items_sold / orders
-- kpi: total_revenue = revenue
-- kpi: revenue_3m = rolling(revenue, 3)
-- kpi: cumulative_revenue = cumulative(revenue)
by_device_4_1 AS (
  SELECT
    *,
    (m_revenue / NULLIF(m_orders, 0)) AS k_aov,
    (m_items_sold / NULLIF(m_orders, 0)) AS k_items_per_order,
    m_revenue AS k_total_revenue,
    (CASE WHEN __p >= 2 THEN SUM(m_revenue) OVER (PARTITION BY __g ORDER BY __p ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) END) AS k_revenue_3m,
    SUM(m_revenue) OVER (PARTITION BY __g ORDER BY __p ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS k_cumulative_revenue
  FROM by_device_4_0
),
-- KPIs by region over order_log: one row per period and group; the metrics meet here
by_region_2_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_order_log.m_revenue AS m_revenue,
    a_order_log.m_orders AS m_orders,
    a_order_log.m_items_sold AS m_items_sold,
    CASE WHEN a_order_log.__rows IS NOT NULL AND s.__p > 0 THEN CAST(COALESCE(x_retained_customers.v, 0) AS FLOAT64) END AS m_retained_customers,
    a_order_log.m_customers AS m_customers,
    a_order_log.m_repeat_customers AS m_repeat_customers,
    CASE WHEN a_order_log.__rows IS NOT NULL THEN CAST(COALESCE(x_new_customers.v, 0) AS FLOAT64) END AS m_new_customers
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_region AS __g FROM src_order_log
  ) AS gr
  LEFT JOIN agg_order_log__region AS a_order_log ON a_order_log.__p = s.__p AND (a_order_log.__g = gr.__g OR (a_order_log.__g IS NULL AND gr.__g IS NULL))
  LEFT JOIN retained_retained_customers__by AS x_retained_customers ON x_retained_customers.__p = s.__p AND (x_retained_customers.__g = gr.__g OR (x_retained_customers.__g IS NULL AND gr.__g IS NULL))
  LEFT JOIN first_seen_new_customers__by AS x_new_customers ON x_new_customers.__p = s.__p AND (x_new_customers.__g = gr.__g OR (x_new_customers.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: aov = revenue / orders
-- kpi: items_per_order = items_sold / orders
-- kpi: retention_rate = retained_customers / prev(customers)
-- kpi: repurchase_rate = repeat_customers / customers
-- kpi: new_customer_count = new_customers
-- kpi: total_revenue = revenue
-- kpi: revenue_3m = rolling(revenue, 3)
-- kpi: cumulative_revenue = cumulative(revenue)
by_region_2_1 AS (
  SELECT
    *,
    (m_revenue / NULLIF(m_orders, 0)) AS k_aov,
    (m_items_sold / NULLIF(m_orders, 0)) AS k_items_per_order,
    (m_retained_customers / NULLIF(LAG(m_customers, 1) OVER (PARTITION BY __g ORDER BY __p), 0)) AS k_retention_rate,
    (m_repeat_customers / NULLIF(m_customers, 0)) AS k_repurchase_rate,
    m_new_customers AS k_new_customer_count,
    m_revenue AS k_total_revenue,
    (CASE WHEN __p >= 2 THEN SUM(m_revenue) OVER (PARTITION BY __g ORDER BY __p ROWS BETWEEN 2 PRECEDING AND CURRENT ROW) END) AS k_revenue_3m,
    SUM(m_revenue) OVER (PARTITION BY __g ORDER BY __p ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS k_cumulative_revenue
  FROM by_region_2_0
),
-- KPIs by channel over customers: one row per period and group; the metrics meet here
by_channel_6_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_customers.m_repeat_buyers AS m_repeat_buyers,
    a_customers.m_first_time_buyers AS m_first_time_buyers
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT a_channel AS __g FROM src_customers
  ) AS gr
  LEFT JOIN agg_customers__channel AS a_customers ON a_customers.__p = s.__p AND (a_customers.__g = gr.__g OR (a_customers.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: repeat_purchase_rate = repeat_buyers / first_time_buyers
by_channel_6_1 AS (
  SELECT
    *,
    (m_repeat_buyers / NULLIF(m_first_time_buyers, 0)) AS k_repeat_purchase_rate
  FROM by_channel_6_0
),
-- KPIs by cohort over order_log: one row per period and group; the metrics meet here
by_cohort_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_order_log.m_revenue AS m_revenue
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT d_cohort AS __g FROM src_order_log
  ) AS gr
  LEFT JOIN agg_order_log__cohort AS a_order_log ON a_order_log.__p = s.__p AND (a_order_log.__g = gr.__g OR (a_order_log.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: revenue_by_cohort = revenue
by_cohort_1 AS (
  SELECT
    *,
    m_revenue AS k_revenue_by_cohort
  FROM by_cohort_0
),
-- KPIs by platform over social: one row per period and group; the metrics meet here
by_platform_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_social.m_avg_followers AS m_avg_followers,
    a_social.m_new_followers AS m_new_followers,
    a_social.m_lost_followers AS m_lost_followers,
    a_social.m_social_engagements AS m_social_engagements,
    a_social.m_social_reach AS m_social_reach
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_platform AS __g FROM src_social
  ) AS gr
  LEFT JOIN agg_social__platform AS a_social ON a_social.__p = s.__p AND (a_social.__g = gr.__g OR (a_social.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: follower_growth_rate = growth(avg_followers)
-- kpi: net_new_followers = new_followers - lost_followers
-- kpi: engagement_rate = social_engagements / social_reach
by_platform_1 AS (
  SELECT
    *,
    (m_avg_followers / NULLIF(LAG(m_avg_followers, 1) OVER (PARTITION BY __g ORDER BY __p), 0) - 1) AS k_follower_growth_rate,
    (m_new_followers - m_lost_followers) AS k_net_new_followers,
    (m_social_engagements / NULLIF(m_social_reach, 0)) AS k_engagement_rate
  FROM by_platform_0
),
-- KPIs by segment over email: one row per period and group; the metrics meet here
by_segment_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_email.m_email_opens AS m_email_opens,
    a_email.m_email_delivered AS m_email_delivered,
    a_email.m_email_clicks AS m_email_clicks,
    a_email.m_email_conversions AS m_email_conversions,
    a_email.m_email_unsubscribes AS m_email_unsubscribes,
    a_email.m_email_revenue AS m_email_revenue,
    a_email.m_email_sent AS m_email_sent
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_segment AS __g FROM src_email
  ) AS gr
  LEFT JOIN agg_email__segment AS a_email ON a_email.__p = s.__p AND (a_email.__g = gr.__g OR (a_email.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: email_open_rate = email_opens / email_delivered
-- kpi: email_click_rate = email_clicks / email_delivered
-- kpi: click_to_open_rate = email_clicks / email_opens
-- kpi: email_conversion_rate = email_conversions / email_delivered
-- kpi: unsubscribe_rate = email_unsubscribes / email_delivered
-- kpi: revenue_per_email = email_revenue / email_sent
by_segment_1 AS (
  SELECT
    *,
    (m_email_opens / NULLIF(m_email_delivered, 0)) AS k_email_open_rate,
    (m_email_clicks / NULLIF(m_email_delivered, 0)) AS k_email_click_rate,
    (m_email_clicks / NULLIF(m_email_opens, 0)) AS k_click_to_open_rate,
    (m_email_conversions / NULLIF(m_email_delivered, 0)) AS k_email_conversion_rate,
    (m_email_unsubscribes / NULLIF(m_email_delivered, 0)) AS k_unsubscribe_rate,
    (m_email_revenue / NULLIF(m_email_sent, 0)) AS k_revenue_per_email
  FROM by_segment_0
),
-- KPIs by campaign over email: one row per period and group; the metrics meet here
by_campaign_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_email.m_email_opens AS m_email_opens,
    a_email.m_email_delivered AS m_email_delivered,
    a_email.m_email_clicks AS m_email_clicks,
    a_email.m_email_conversions AS m_email_conversions,
    a_email.m_email_unsubscribes AS m_email_unsubscribes,
    a_email.m_email_revenue AS m_email_revenue,
    a_email.m_email_sent AS m_email_sent
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_campaign AS __g FROM src_email
  ) AS gr
  LEFT JOIN agg_email__campaign AS a_email ON a_email.__p = s.__p AND (a_email.__g = gr.__g OR (a_email.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: email_open_rate = email_opens / email_delivered
-- kpi: email_click_rate = email_clicks / email_delivered
-- kpi: click_to_open_rate = email_clicks / email_opens
-- kpi: email_conversion_rate = email_conversions / email_delivered
-- kpi: unsubscribe_rate = email_unsubscribes / email_delivered
-- kpi: revenue_per_email = email_revenue / email_sent
by_campaign_1 AS (
  SELECT
    *,
    (m_email_opens / NULLIF(m_email_delivered, 0)) AS k_email_open_rate,
    (m_email_clicks / NULLIF(m_email_delivered, 0)) AS k_email_click_rate,
    (m_email_clicks / NULLIF(m_email_opens, 0)) AS k_click_to_open_rate,
    (m_email_conversions / NULLIF(m_email_delivered, 0)) AS k_email_conversion_rate,
    (m_email_unsubscribes / NULLIF(m_email_delivered, 0)) AS k_unsubscribe_rate,
    (m_email_revenue / NULLIF(m_email_sent, 0)) AS k_revenue_per_email
  FROM by_campaign_0
),
-- KPIs by channel over ads: one row per period and group; the metrics meet here
by_channel_7_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_ads.m_ad_spend AS m_ad_spend,
    a_ads.m_ad_clicks AS m_ad_clicks,
    a_ads.m_ad_impressions AS m_ad_impressions
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_channel AS __g FROM src_ads
  ) AS gr
  LEFT JOIN agg_ads__channel AS a_ads ON a_ads.__p = s.__p AND (a_ads.__g = gr.__g OR (a_ads.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: cpc = ad_spend / ad_clicks
-- kpi: ad_ctr = ad_clicks / ad_impressions
by_channel_7_1 AS (
  SELECT
    *,
    (m_ad_spend / NULLIF(m_ad_clicks, 0)) AS k_cpc,
    (m_ad_clicks / NULLIF(m_ad_impressions, 0)) AS k_ad_ctr
  FROM by_channel_7_0
),
-- KPIs by campaign over ads: one row per period and group; the metrics meet here
by_campaign_2_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_ads.m_ad_spend AS m_ad_spend,
    a_ads.m_ad_clicks AS m_ad_clicks,
    a_ads.m_ad_impressions AS m_ad_impressions
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_campaign AS __g FROM src_ads
  ) AS gr
  LEFT JOIN agg_ads__campaign AS a_ads ON a_ads.__p = s.__p AND (a_ads.__g = gr.__g OR (a_ads.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: cpc = ad_spend / ad_clicks
-- kpi: ad_ctr = ad_clicks / ad_impressions
by_campaign_2_1 AS (
  SELECT
    *,
    (m_ad_spend / NULLIF(m_ad_clicks, 0)) AS k_cpc,
    (m_ad_clicks / NULLIF(m_ad_impressions, 0)) AS k_ad_ctr
  FROM by_campaign_2_0
),
-- KPIs by channel over ads, customers: one row per period and group; the metrics meet here
by_channel_8_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_ads.m_ad_spend AS m_ad_spend,
    a_customers.m_first_time_buyers AS m_first_time_buyers
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_channel AS __g FROM src_ads
    UNION DISTINCT
    SELECT DISTINCT a_channel AS __g FROM src_customers
  ) AS gr
  LEFT JOIN agg_ads__channel AS a_ads ON a_ads.__p = s.__p AND (a_ads.__g = gr.__g OR (a_ads.__g IS NULL AND gr.__g IS NULL))
  LEFT JOIN agg_customers__channel AS a_customers ON a_customers.__p = s.__p AND (a_customers.__g = gr.__g OR (a_customers.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: cac = ad_spend / first_time_buyers
by_channel_8_1 AS (
  SELECT
    *,
    (m_ad_spend / NULLIF(m_first_time_buyers, 0)) AS k_cac
  FROM by_channel_8_0
),
-- KPIs by channel over lead_log: one row per period and group; the metrics meet here
by_channel_9_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_lead_log.m_leads AS m_leads,
    a_lead_log.m_qualified_leads AS m_qualified_leads
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_channel AS __g FROM src_lead_log
  ) AS gr
  LEFT JOIN agg_lead_log__channel AS a_lead_log ON a_lead_log.__p = s.__p AND (a_lead_log.__g = gr.__g OR (a_lead_log.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: lead_volume = leads
-- kpi: lead_qualification_rate = qualified_leads / leads
by_channel_9_1 AS (
  SELECT
    *,
    m_leads AS k_lead_volume,
    (m_qualified_leads / NULLIF(m_leads, 0)) AS k_lead_qualification_rate
  FROM by_channel_9_0
),
-- KPIs by channel over crm_leads: one row per period and group; the metrics meet here
by_channel_10_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_crm_leads.m_won_leads AS m_won_leads,
    a_crm_leads.m_crm_leads AS m_crm_leads
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_channel AS __g FROM src_crm_leads
  ) AS gr
  LEFT JOIN agg_crm_leads__channel AS a_crm_leads ON a_crm_leads.__p = s.__p AND (a_crm_leads.__g = gr.__g OR (a_crm_leads.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: lead_to_deal_rate = won_leads / crm_leads
by_channel_10_1 AS (
  SELECT
    *,
    (m_won_leads / NULLIF(m_crm_leads, 0)) AS k_lead_to_deal_rate
  FROM by_channel_10_0
),
-- KPIs by segment over crm_leads: one row per period and group; the metrics meet here
by_segment_2_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_crm_leads.m_won_leads AS m_won_leads,
    a_crm_leads.m_crm_leads AS m_crm_leads,
    a_crm_leads.m_avg_days_to_close AS m_avg_days_to_close
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_segment AS __g FROM src_crm_leads
  ) AS gr
  LEFT JOIN agg_crm_leads__segment AS a_crm_leads ON a_crm_leads.__p = s.__p AND (a_crm_leads.__g = gr.__g OR (a_crm_leads.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: lead_to_deal_rate = won_leads / crm_leads
-- kpi: days_to_close = avg_days_to_close
by_segment_2_1 AS (
  SELECT
    *,
    (m_won_leads / NULLIF(m_crm_leads, 0)) AS k_lead_to_deal_rate,
    m_avg_days_to_close AS k_days_to_close
  FROM by_segment_2_0
),
-- KPIs by sales_rep over deals: one row per period and group; the metrics meet here
by_sales_rep_0 AS (
  SELECT
    s.__p,
    s.__key,
    gr.__g,
    a_deals.m_deal_value AS m_deal_value
  FROM periods AS s
  CROSS JOIN (
    SELECT DISTINCT c_sales_rep AS __g FROM src_deals
  ) AS gr
  LEFT JOIN agg_deals__sales_rep AS a_deals ON a_deals.__p = s.__p AND (a_deals.__g = gr.__g OR (a_deals.__g IS NULL AND gr.__g IS NULL))
),
-- kpi: won_deal_value = deal_value
by_sales_rep_1 AS (
  SELECT
    *,
    m_deal_value AS k_won_deal_value
  FROM by_sales_rep_0
),
-- source web: written values that do not read as their column's type
reads_web AS (
  SELECT
    SUM(CASE WHEN __u_time THEN 1 ELSE 0 END) AS u0,
    SUM(CASE WHEN __u_c_pageviews THEN 1 ELSE 0 END) AS u1,
    SUM(CASE WHEN __u_c_visitors THEN 1 ELSE 0 END) AS u2,
    SUM(CASE WHEN __u_c_sessions THEN 1 ELSE 0 END) AS u3,
    SUM(CASE WHEN __u_c_session_seconds THEN 1 ELSE 0 END) AS u4,
    SUM(CASE WHEN __u_c_bounces THEN 1 ELSE 0 END) AS u5,
    SUM(CASE WHEN __u_c_add_to_carts THEN 1 ELSE 0 END) AS u6,
    SUM(CASE WHEN __u_c_product_views THEN 1 ELSE 0 END) AS u7,
    SUM(CASE WHEN __u_c_checkouts THEN 1 ELSE 0 END) AS u8
  FROM src_web
),
-- source order_log: written values that do not read as their column's type
reads_order_log AS (
  SELECT
    SUM(CASE WHEN __u_time THEN 1 ELSE 0 END) AS u0,
    SUM(CASE WHEN __u_c_amount THEN 1 ELSE 0 END) AS u1,
    SUM(CASE WHEN __u_c_items THEN 1 ELSE 0 END) AS u2
  FROM rel_order_log_0
),
-- source ads: written values that do not read as their column's type
reads_ads AS (
  SELECT
    SUM(CASE WHEN __u_time THEN 1 ELSE 0 END) AS u0,
    SUM(CASE WHEN __u_c_spend THEN 1 ELSE 0 END) AS u1,
    SUM(CASE WHEN __u_c_clicks THEN 1 ELSE 0 END) AS u2,
    SUM(CASE WHEN __u_c_impressions THEN 1 ELSE 0 END) AS u3
  FROM src_ads
),
-- source social: written values that do not read as their column's type
reads_social AS (
  SELECT
    SUM(CASE WHEN __u_time THEN 1 ELSE 0 END) AS u0,
    SUM(CASE WHEN __u_c_followers THEN 1 ELSE 0 END) AS u1,
    SUM(CASE WHEN __u_c_new_followers THEN 1 ELSE 0 END) AS u2,
    SUM(CASE WHEN __u_c_lost_followers THEN 1 ELSE 0 END) AS u3,
    SUM(CASE WHEN __u_c_engagements THEN 1 ELSE 0 END) AS u4,
    SUM(CASE WHEN __u_c_reach THEN 1 ELSE 0 END) AS u5
  FROM src_social
),
-- source email: written values that do not read as their column's type
reads_email AS (
  SELECT
    SUM(CASE WHEN __u_time THEN 1 ELSE 0 END) AS u0,
    SUM(CASE WHEN __u_c_opens THEN 1 ELSE 0 END) AS u1,
    SUM(CASE WHEN __u_c_delivered THEN 1 ELSE 0 END) AS u2,
    SUM(CASE WHEN __u_c_clicks THEN 1 ELSE 0 END) AS u3,
    SUM(CASE WHEN __u_c_conversions THEN 1 ELSE 0 END) AS u4,
    SUM(CASE WHEN __u_c_unsubscribes THEN 1 ELSE 0 END) AS u5,
    SUM(CASE WHEN __u_c_revenue THEN 1 ELSE 0 END) AS u6,
    SUM(CASE WHEN __u_c_sent THEN 1 ELSE 0 END) AS u7
  FROM src_email
),
-- source lead_log: written values that do not read as their column's type
reads_lead_log AS (
  SELECT
    SUM(CASE WHEN __u_time THEN 1 ELSE 0 END) AS u0,
    SUM(CASE WHEN __u_c_leads THEN 1 ELSE 0 END) AS u1,
    SUM(CASE WHEN __u_c_qualified_leads THEN 1 ELSE 0 END) AS u2
  FROM src_lead_log
),
-- source crm_leads: written values that do not read as their column's type
reads_crm_leads AS (
  SELECT
    SUM(CASE WHEN __u_time THEN 1 ELSE 0 END) AS u0
  FROM rel_crm_leads_0
),
-- source deals: written values that do not read as their column's type
reads_deals AS (
  SELECT
    SUM(CASE WHEN __u_time THEN 1 ELSE 0 END) AS u0,
    SUM(CASE WHEN __u_c_amount THEN 1 ELSE 0 END) AS u1
  FROM src_deals
)
SELECT 'value' AS kind, 'pv' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_pv AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'uv' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_uv AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'total_sessions' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_total_sessions AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'pages_per_session' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_pages_per_session AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'avg_session_duration' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_avg_session_duration AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'bounce_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_bounce_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'traffic_growth' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_traffic_growth AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'organic_share' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_organic_share AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'session_bounce_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_session_bounce_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'session_pages' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_session_pages AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'revenue_per_session' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_revenue_per_session AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'conversion_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_conversion_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'add_to_cart_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_add_to_cart_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'view_to_cart_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_view_to_cart_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'checkout_completion_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_checkout_completion_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'paid_conversion_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_paid_conversion_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'cost_per_conversion' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_cost_per_conversion AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'aov' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_aov AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'items_per_order' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_items_per_order AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'retention_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_retention_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'repurchase_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_repurchase_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'repeat_purchase_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_repeat_purchase_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'revenue_by_cohort' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_revenue_by_cohort AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'new_customer_count' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_new_customer_count AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'follower_growth_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_follower_growth_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'net_new_followers' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_net_new_followers AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'engagement_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_engagement_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'email_open_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_email_open_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'email_click_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_email_click_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'click_to_open_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_click_to_open_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'email_conversion_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_email_conversion_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'unsubscribe_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_unsubscribe_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'revenue_per_email' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_revenue_per_email AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'total_revenue' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_total_revenue AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'revenue_3m' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_revenue_3m AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'cumulative_revenue' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_cumulative_revenue AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'ad_roi' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_ad_roi AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'roas' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_roas AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'cpc' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_cpc AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'ad_ctr' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_ad_ctr AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'cac' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_cac AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'clv' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_clv AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'clv_cac_ratio' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_clv_cac_ratio AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'lead_volume' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_lead_volume AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'lead_qualification_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_lead_qualification_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'lead_to_deal_rate' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_lead_to_deal_rate AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'days_to_close' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_days_to_close AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'won_deal_value' AS kpi, '' AS dimension, CAST(NULL AS STRING) AS grp, __key AS period, k_won_deal_value AS value FROM total_2
UNION ALL
SELECT 'value' AS kind, 'pv' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_pv AS value FROM by_channel_1
UNION ALL
SELECT 'value' AS kind, 'uv' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_uv AS value FROM by_channel_1
UNION ALL
SELECT 'value' AS kind, 'total_sessions' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_total_sessions AS value FROM by_channel_1
UNION ALL
SELECT 'value' AS kind, 'pages_per_session' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_pages_per_session AS value FROM by_channel_1
UNION ALL
SELECT 'value' AS kind, 'avg_session_duration' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_avg_session_duration AS value FROM by_channel_1
UNION ALL
SELECT 'value' AS kind, 'bounce_rate' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_bounce_rate AS value FROM by_channel_1
UNION ALL
SELECT 'value' AS kind, 'traffic_growth' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_traffic_growth AS value FROM by_channel_1
UNION ALL
SELECT 'value' AS kind, 'add_to_cart_rate' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_add_to_cart_rate AS value FROM by_channel_1
UNION ALL
SELECT 'value' AS kind, 'view_to_cart_rate' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_view_to_cart_rate AS value FROM by_channel_1
UNION ALL
SELECT 'value' AS kind, 'pv' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_pv AS value FROM by_device_1
UNION ALL
SELECT 'value' AS kind, 'uv' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_uv AS value FROM by_device_1
UNION ALL
SELECT 'value' AS kind, 'total_sessions' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_total_sessions AS value FROM by_device_1
UNION ALL
SELECT 'value' AS kind, 'pages_per_session' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_pages_per_session AS value FROM by_device_1
UNION ALL
SELECT 'value' AS kind, 'avg_session_duration' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_avg_session_duration AS value FROM by_device_1
UNION ALL
SELECT 'value' AS kind, 'bounce_rate' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_bounce_rate AS value FROM by_device_1
UNION ALL
SELECT 'value' AS kind, 'traffic_growth' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_traffic_growth AS value FROM by_device_1
UNION ALL
SELECT 'value' AS kind, 'organic_share' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_organic_share AS value FROM by_device_1
UNION ALL
SELECT 'value' AS kind, 'add_to_cart_rate' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_add_to_cart_rate AS value FROM by_device_1
UNION ALL
SELECT 'value' AS kind, 'view_to_cart_rate' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_view_to_cart_rate AS value FROM by_device_1
UNION ALL
SELECT 'value' AS kind, 'session_bounce_rate' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_session_bounce_rate AS value FROM by_channel_2_1
UNION ALL
SELECT 'value' AS kind, 'session_pages' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_session_pages AS value FROM by_channel_2_1
UNION ALL
SELECT 'value' AS kind, 'revenue_per_session' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_revenue_per_session AS value FROM by_channel_2_1
UNION ALL
SELECT 'value' AS kind, 'session_bounce_rate' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_session_bounce_rate AS value FROM by_device_2_1
UNION ALL
SELECT 'value' AS kind, 'session_pages' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_session_pages AS value FROM by_device_2_1
UNION ALL
SELECT 'value' AS kind, 'revenue_per_session' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_revenue_per_session AS value FROM by_device_2_1
UNION ALL
SELECT 'value' AS kind, 'conversion_rate' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_conversion_rate AS value FROM by_channel_3_1
UNION ALL
SELECT 'value' AS kind, 'checkout_completion_rate' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_checkout_completion_rate AS value FROM by_channel_3_1
UNION ALL
SELECT 'value' AS kind, 'paid_conversion_rate' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_paid_conversion_rate AS value FROM by_channel_3_1
UNION ALL
SELECT 'value' AS kind, 'conversion_rate' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_conversion_rate AS value FROM by_device_3_1
UNION ALL
SELECT 'value' AS kind, 'checkout_completion_rate' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_checkout_completion_rate AS value FROM by_device_3_1
UNION ALL
SELECT 'value' AS kind, 'paid_conversion_rate' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_paid_conversion_rate AS value FROM by_device_3_1
UNION ALL
SELECT 'value' AS kind, 'paid_conversion_rate' AS kpi, 'region' AS dimension, __g AS grp, __key AS period, k_paid_conversion_rate AS value FROM by_region_1
UNION ALL
SELECT 'value' AS kind, 'cost_per_conversion' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_cost_per_conversion AS value FROM by_channel_4_1
UNION ALL
SELECT 'value' AS kind, 'ad_roi' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_ad_roi AS value FROM by_channel_4_1
UNION ALL
SELECT 'value' AS kind, 'roas' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_roas AS value FROM by_channel_4_1
UNION ALL
SELECT 'value' AS kind, 'aov' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_aov AS value FROM by_channel_5_1
UNION ALL
SELECT 'value' AS kind, 'items_per_order' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_items_per_order AS value FROM by_channel_5_1
UNION ALL
SELECT 'value' AS kind, 'total_revenue' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_total_revenue AS value FROM by_channel_5_1
UNION ALL
SELECT 'value' AS kind, 'revenue_3m' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_revenue_3m AS value FROM by_channel_5_1
UNION ALL
SELECT 'value' AS kind, 'cumulative_revenue' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_cumulative_revenue AS value FROM by_channel_5_1
UNION ALL
SELECT 'value' AS kind, 'aov' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_aov AS value FROM by_device_4_1
UNION ALL
SELECT 'value' AS kind, 'items_per_order' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_items_per_order AS value FROM by_device_4_1
UNION ALL
SELECT 'value' AS kind, 'total_revenue' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_total_revenue AS value FROM by_device_4_1
UNION ALL
SELECT 'value' AS kind, 'revenue_3m' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_revenue_3m AS value FROM by_device_4_1
UNION ALL
SELECT 'value' AS kind, 'cumulative_revenue' AS kpi, 'device' AS dimension, __g AS grp, __key AS period, k_cumulative_revenue AS value FROM by_device_4_1
UNION ALL
SELECT 'value' AS kind, 'aov' AS kpi, 'region' AS dimension, __g AS grp, __key AS period, k_aov AS value FROM by_region_2_1
UNION ALL
SELECT 'value' AS kind, 'items_per_order' AS kpi, 'region' AS dimension, __g AS grp, __key AS period, k_items_per_order AS value FROM by_region_2_1
UNION ALL
SELECT 'value' AS kind, 'retention_rate' AS kpi, 'region' AS dimension, __g AS grp, __key AS period, k_retention_rate AS value FROM by_region_2_1
UNION ALL
SELECT 'value' AS kind, 'repurchase_rate' AS kpi, 'region' AS dimension, __g AS grp, __key AS period, k_repurchase_rate AS value FROM by_region_2_1
UNION ALL
SELECT 'value' AS kind, 'new_customer_count' AS kpi, 'region' AS dimension, __g AS grp, __key AS period, k_new_customer_count AS value FROM by_region_2_1
UNION ALL
SELECT 'value' AS kind, 'total_revenue' AS kpi, 'region' AS dimension, __g AS grp, __key AS period, k_total_revenue AS value FROM by_region_2_1
UNION ALL
SELECT 'value' AS kind, 'revenue_3m' AS kpi, 'region' AS dimension, __g AS grp, __key AS period, k_revenue_3m AS value FROM by_region_2_1
UNION ALL
SELECT 'value' AS kind, 'cumulative_revenue' AS kpi, 'region' AS dimension, __g AS grp, __key AS period, k_cumulative_revenue AS value FROM by_region_2_1
UNION ALL
SELECT 'value' AS kind, 'repeat_purchase_rate' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_repeat_purchase_rate AS value FROM by_channel_6_1
UNION ALL
SELECT 'value' AS kind, 'revenue_by_cohort' AS kpi, 'cohort' AS dimension, __g AS grp, __key AS period, k_revenue_by_cohort AS value FROM by_cohort_1
UNION ALL
SELECT 'value' AS kind, 'follower_growth_rate' AS kpi, 'platform' AS dimension, __g AS grp, __key AS period, k_follower_growth_rate AS value FROM by_platform_1
UNION ALL
SELECT 'value' AS kind, 'net_new_followers' AS kpi, 'platform' AS dimension, __g AS grp, __key AS period, k_net_new_followers AS value FROM by_platform_1
UNION ALL
SELECT 'value' AS kind, 'engagement_rate' AS kpi, 'platform' AS dimension, __g AS grp, __key AS period, k_engagement_rate AS value FROM by_platform_1
UNION ALL
SELECT 'value' AS kind, 'email_open_rate' AS kpi, 'segment' AS dimension, __g AS grp, __key AS period, k_email_open_rate AS value FROM by_segment_1
UNION ALL
SELECT 'value' AS kind, 'email_click_rate' AS kpi, 'segment' AS dimension, __g AS grp, __key AS period, k_email_click_rate AS value FROM by_segment_1
UNION ALL
SELECT 'value' AS kind, 'click_to_open_rate' AS kpi, 'segment' AS dimension, __g AS grp, __key AS period, k_click_to_open_rate AS value FROM by_segment_1
UNION ALL
SELECT 'value' AS kind, 'email_conversion_rate' AS kpi, 'segment' AS dimension, __g AS grp, __key AS period, k_email_conversion_rate AS value FROM by_segment_1
UNION ALL
SELECT 'value' AS kind, 'unsubscribe_rate' AS kpi, 'segment' AS dimension, __g AS grp, __key AS period, k_unsubscribe_rate AS value FROM by_segment_1
UNION ALL
SELECT 'value' AS kind, 'revenue_per_email' AS kpi, 'segment' AS dimension, __g AS grp, __key AS period, k_revenue_per_email AS value FROM by_segment_1
UNION ALL
SELECT 'value' AS kind, 'email_open_rate' AS kpi, 'campaign' AS dimension, __g AS grp, __key AS period, k_email_open_rate AS value FROM by_campaign_1
UNION ALL
SELECT 'value' AS kind, 'email_click_rate' AS kpi, 'campaign' AS dimension, __g AS grp, __key AS period, k_email_click_rate AS value FROM by_campaign_1
UNION ALL
SELECT 'value' AS kind, 'click_to_open_rate' AS kpi, 'campaign' AS dimension, __g AS grp, __key AS period, k_click_to_open_rate AS value FROM by_campaign_1
UNION ALL
SELECT 'value' AS kind, 'email_conversion_rate' AS kpi, 'campaign' AS dimension, __g AS grp, __key AS period, k_email_conversion_rate AS value FROM by_campaign_1
UNION ALL
SELECT 'value' AS kind, 'unsubscribe_rate' AS kpi, 'campaign' AS dimension, __g AS grp, __key AS period, k_unsubscribe_rate AS value FROM by_campaign_1
UNION ALL
SELECT 'value' AS kind, 'revenue_per_email' AS kpi, 'campaign' AS dimension, __g AS grp, __key AS period, k_revenue_per_email AS value FROM by_campaign_1
UNION ALL
SELECT 'value' AS kind, 'cpc' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_cpc AS value FROM by_channel_7_1
UNION ALL
SELECT 'value' AS kind, 'ad_ctr' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_ad_ctr AS value FROM by_channel_7_1
UNION ALL
SELECT 'value' AS kind, 'cpc' AS kpi, 'campaign' AS dimension, __g AS grp, __key AS period, k_cpc AS value FROM by_campaign_2_1
UNION ALL
SELECT 'value' AS kind, 'ad_ctr' AS kpi, 'campaign' AS dimension, __g AS grp, __key AS period, k_ad_ctr AS value FROM by_campaign_2_1
UNION ALL
SELECT 'value' AS kind, 'cac' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_cac AS value FROM by_channel_8_1
UNION ALL
SELECT 'value' AS kind, 'lead_volume' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_lead_volume AS value FROM by_channel_9_1
UNION ALL
SELECT 'value' AS kind, 'lead_qualification_rate' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_lead_qualification_rate AS value FROM by_channel_9_1
UNION ALL
SELECT 'value' AS kind, 'lead_to_deal_rate' AS kpi, 'channel' AS dimension, __g AS grp, __key AS period, k_lead_to_deal_rate AS value FROM by_channel_10_1
UNION ALL
SELECT 'value' AS kind, 'lead_to_deal_rate' AS kpi, 'segment' AS dimension, __g AS grp, __key AS period, k_lead_to_deal_rate AS value FROM by_segment_2_1
UNION ALL
SELECT 'value' AS kind, 'days_to_close' AS kpi, 'segment' AS dimension, __g AS grp, __key AS period, k_days_to_close AS value FROM by_segment_2_1
UNION ALL
SELECT 'value' AS kind, 'won_deal_value' AS kpi, 'sales_rep' AS dimension, __g AS grp, __key AS period, k_won_deal_value AS value FROM by_sales_rep_1
UNION ALL
SELECT 'source', 'web', CAST(NULL AS STRING), FORMAT_DATE('%Y-%m-%d', MIN(__day)), FORMAT_DATE('%Y-%m-%d', MAX(__day)), CAST(COUNT(*) AS FLOAT64) FROM src_web
UNION ALL
SELECT 'source', 'sessions', CAST(NULL AS STRING), FORMAT_DATE('%Y-%m-%d', MIN(__day)), FORMAT_DATE('%Y-%m-%d', MAX(__day)), CAST(COUNT(*) AS FLOAT64) FROM src_sessions
UNION ALL
SELECT 'source', 'order_log', CAST(NULL AS STRING), FORMAT_DATE('%Y-%m-%d', MIN(__day)), FORMAT_DATE('%Y-%m-%d', MAX(__day)), CAST(COUNT(*) AS FLOAT64) FROM src_order_log
UNION ALL
SELECT 'source', 'ads', CAST(NULL AS STRING), FORMAT_DATE('%Y-%m-%d', MIN(__day)), FORMAT_DATE('%Y-%m-%d', MAX(__day)), CAST(COUNT(*) AS FLOAT64) FROM src_ads
UNION ALL
SELECT 'source', 'customers', CAST(NULL AS STRING), FORMAT_DATE('%Y-%m-%d', MIN(__day)), FORMAT_DATE('%Y-%m-%d', MAX(__day)), CAST(COUNT(*) AS FLOAT64) FROM src_customers
UNION ALL
SELECT 'source', 'social', CAST(NULL AS STRING), FORMAT_DATE('%Y-%m-%d', MIN(__day)), FORMAT_DATE('%Y-%m-%d', MAX(__day)), CAST(COUNT(*) AS FLOAT64) FROM src_social
UNION ALL
SELECT 'source', 'email', CAST(NULL AS STRING), FORMAT_DATE('%Y-%m-%d', MIN(__day)), FORMAT_DATE('%Y-%m-%d', MAX(__day)), CAST(COUNT(*) AS FLOAT64) FROM src_email
UNION ALL
SELECT 'source', 'lead_log', CAST(NULL AS STRING), FORMAT_DATE('%Y-%m-%d', MIN(__day)), FORMAT_DATE('%Y-%m-%d', MAX(__day)), CAST(COUNT(*) AS FLOAT64) FROM src_lead_log
UNION ALL
SELECT 'source', 'crm_leads', CAST(NULL AS STRING), FORMAT_DATE('%Y-%m-%d', MIN(__day)), FORMAT_DATE('%Y-%m-%d', MAX(__day)), CAST(COUNT(*) AS FLOAT64) FROM src_crm_leads
UNION ALL
SELECT 'source', 'deals', CAST(NULL AS STRING), FORMAT_DATE('%Y-%m-%d', MIN(__day)), FORMAT_DATE('%Y-%m-%d', MAX(__day)), CAST(COUNT(*) AS FLOAT64) FROM src_deals
UNION ALL
SELECT 'range', CAST(NULL AS STRING), CAST(NULL AS STRING), FORMAT_DATE('%Y-%m-%d', lo), FORMAT_DATE('%Y-%m-%d', hi), CAST(NULL AS FLOAT64) FROM days
UNION ALL
SELECT 'duplicate', 'deals', '0', __k1, CAST(__a AS STRING), CAST(__b AS FLOAT64) FROM dupat_deals
UNION ALL
SELECT 'lookup', 'order_log', 'customer', 'matched', CAST(NULL AS STRING), CAST(__m1 AS FLOAT64) FROM lookups_order_log
UNION ALL
SELECT 'lookup', 'order_log', 'customer', 'unmatched', CAST(NULL AS STRING), CAST(__rows - __m1 AS FLOAT64) FROM lookups_order_log
UNION ALL
SELECT 'rollup', 'customers', 'rows', CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(__rows AS FLOAT64) FROM rollup_customers
UNION ALL
SELECT 'rollup', 'customers', 'unkeyed', CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(__unkeyed AS FLOAT64) FROM rollup_customers
UNION ALL
SELECT 'rollup', 'sessions', 'rows', CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(__rows AS FLOAT64) FROM rollup_sessions
UNION ALL
SELECT 'rollup', 'sessions', 'unkeyed', CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(__unkeyed AS FLOAT64) FROM rollup_sessions
UNION ALL
SELECT 'lookup', 'crm_leads', 'deal', 'matched', CAST(NULL AS STRING), CAST(__m1 AS FLOAT64) FROM lookups_crm_leads WHERE NOT EXISTS (SELECT 1 FROM dup_deals)
UNION ALL
SELECT 'lookup', 'crm_leads', 'deal', 'unmatched', CAST(NULL AS STRING), CAST(__rows - __m1 AS FLOAT64) FROM lookups_crm_leads WHERE NOT EXISTS (SELECT 1 FROM dup_deals)
UNION ALL
SELECT 'undated', 'web', CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(COUNT(*) AS FLOAT64) FROM src_web WHERE __day IS NULL
UNION ALL
SELECT 'unreadable', 'web', 'date', 'time', CAST(NULL AS STRING), CAST(COALESCE(u0, 0) AS FLOAT64) FROM reads_web
UNION ALL
SELECT 'unreadable', 'web', 'pageviews', 'value', CAST(NULL AS STRING), CAST(COALESCE(u1, 0) AS FLOAT64) FROM reads_web
UNION ALL
SELECT 'unreadable', 'web', 'visitors', 'value', CAST(NULL AS STRING), CAST(COALESCE(u2, 0) AS FLOAT64) FROM reads_web
UNION ALL
SELECT 'unreadable', 'web', 'sessions', 'value', CAST(NULL AS STRING), CAST(COALESCE(u3, 0) AS FLOAT64) FROM reads_web
UNION ALL
SELECT 'unreadable', 'web', 'session_seconds', 'value', CAST(NULL AS STRING), CAST(COALESCE(u4, 0) AS FLOAT64) FROM reads_web
UNION ALL
SELECT 'unreadable', 'web', 'bounces', 'value', CAST(NULL AS STRING), CAST(COALESCE(u5, 0) AS FLOAT64) FROM reads_web
UNION ALL
SELECT 'unreadable', 'web', 'add_to_carts', 'value', CAST(NULL AS STRING), CAST(COALESCE(u6, 0) AS FLOAT64) FROM reads_web
UNION ALL
SELECT 'unreadable', 'web', 'product_views', 'value', CAST(NULL AS STRING), CAST(COALESCE(u7, 0) AS FLOAT64) FROM reads_web
UNION ALL
SELECT 'unreadable', 'web', 'checkouts', 'value', CAST(NULL AS STRING), CAST(COALESCE(u8, 0) AS FLOAT64) FROM reads_web
UNION ALL
SELECT 'undated', 'sessions', CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(COUNT(*) AS FLOAT64) FROM src_sessions WHERE __day IS NULL
UNION ALL
SELECT 'undated', 'order_log', CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(COUNT(*) AS FLOAT64) FROM src_order_log WHERE __day IS NULL
UNION ALL
SELECT 'unreadable', 'order_log', 'ordered_at', 'time', CAST(NULL AS STRING), CAST(COALESCE(u0, 0) AS FLOAT64) FROM reads_order_log
UNION ALL
SELECT 'unreadable', 'order_log', 'amount', 'value', CAST(NULL AS STRING), CAST(COALESCE(u1, 0) AS FLOAT64) FROM reads_order_log
UNION ALL
SELECT 'unreadable', 'order_log', 'items', 'value', CAST(NULL AS STRING), CAST(COALESCE(u2, 0) AS FLOAT64) FROM reads_order_log
UNION ALL
SELECT 'undated', 'ads', CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(COUNT(*) AS FLOAT64) FROM src_ads WHERE __day IS NULL
UNION ALL
SELECT 'unreadable', 'ads', 'date', 'time', CAST(NULL AS STRING), CAST(COALESCE(u0, 0) AS FLOAT64) FROM reads_ads
UNION ALL
SELECT 'unreadable', 'ads', 'spend', 'value', CAST(NULL AS STRING), CAST(COALESCE(u1, 0) AS FLOAT64) FROM reads_ads
UNION ALL
SELECT 'unreadable', 'ads', 'clicks', 'value', CAST(NULL AS STRING), CAST(COALESCE(u2, 0) AS FLOAT64) FROM reads_ads
UNION ALL
SELECT 'unreadable', 'ads', 'impressions', 'value', CAST(NULL AS STRING), CAST(COALESCE(u3, 0) AS FLOAT64) FROM reads_ads
UNION ALL
SELECT 'undated', 'customers', CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(COUNT(*) AS FLOAT64) FROM src_customers WHERE __day IS NULL
UNION ALL
SELECT 'undated', 'social', CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(COUNT(*) AS FLOAT64) FROM src_social WHERE __day IS NULL
UNION ALL
SELECT 'unreadable', 'social', 'date', 'time', CAST(NULL AS STRING), CAST(COALESCE(u0, 0) AS FLOAT64) FROM reads_social
UNION ALL
SELECT 'unreadable', 'social', 'followers', 'value', CAST(NULL AS STRING), CAST(COALESCE(u1, 0) AS FLOAT64) FROM reads_social
UNION ALL
SELECT 'unreadable', 'social', 'new_followers', 'value', CAST(NULL AS STRING), CAST(COALESCE(u2, 0) AS FLOAT64) FROM reads_social
UNION ALL
SELECT 'unreadable', 'social', 'lost_followers', 'value', CAST(NULL AS STRING), CAST(COALESCE(u3, 0) AS FLOAT64) FROM reads_social
UNION ALL
SELECT 'unreadable', 'social', 'engagements', 'value', CAST(NULL AS STRING), CAST(COALESCE(u4, 0) AS FLOAT64) FROM reads_social
UNION ALL
SELECT 'unreadable', 'social', 'reach', 'value', CAST(NULL AS STRING), CAST(COALESCE(u5, 0) AS FLOAT64) FROM reads_social
UNION ALL
SELECT 'undated', 'email', CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(COUNT(*) AS FLOAT64) FROM src_email WHERE __day IS NULL
UNION ALL
SELECT 'unreadable', 'email', 'sent_at', 'time', CAST(NULL AS STRING), CAST(COALESCE(u0, 0) AS FLOAT64) FROM reads_email
UNION ALL
SELECT 'unreadable', 'email', 'opens', 'value', CAST(NULL AS STRING), CAST(COALESCE(u1, 0) AS FLOAT64) FROM reads_email
UNION ALL
SELECT 'unreadable', 'email', 'delivered', 'value', CAST(NULL AS STRING), CAST(COALESCE(u2, 0) AS FLOAT64) FROM reads_email
UNION ALL
SELECT 'unreadable', 'email', 'clicks', 'value', CAST(NULL AS STRING), CAST(COALESCE(u3, 0) AS FLOAT64) FROM reads_email
UNION ALL
SELECT 'unreadable', 'email', 'conversions', 'value', CAST(NULL AS STRING), CAST(COALESCE(u4, 0) AS FLOAT64) FROM reads_email
UNION ALL
SELECT 'unreadable', 'email', 'unsubscribes', 'value', CAST(NULL AS STRING), CAST(COALESCE(u5, 0) AS FLOAT64) FROM reads_email
UNION ALL
SELECT 'unreadable', 'email', 'revenue', 'value', CAST(NULL AS STRING), CAST(COALESCE(u6, 0) AS FLOAT64) FROM reads_email
UNION ALL
SELECT 'unreadable', 'email', 'sent', 'value', CAST(NULL AS STRING), CAST(COALESCE(u7, 0) AS FLOAT64) FROM reads_email
UNION ALL
SELECT 'undated', 'lead_log', CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(COUNT(*) AS FLOAT64) FROM src_lead_log WHERE __day IS NULL
UNION ALL
SELECT 'unreadable', 'lead_log', 'date', 'time', CAST(NULL AS STRING), CAST(COALESCE(u0, 0) AS FLOAT64) FROM reads_lead_log
UNION ALL
SELECT 'unreadable', 'lead_log', 'leads', 'value', CAST(NULL AS STRING), CAST(COALESCE(u1, 0) AS FLOAT64) FROM reads_lead_log
UNION ALL
SELECT 'unreadable', 'lead_log', 'qualified_leads', 'value', CAST(NULL AS STRING), CAST(COALESCE(u2, 0) AS FLOAT64) FROM reads_lead_log
UNION ALL
SELECT 'undated', 'crm_leads', CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(COUNT(*) AS FLOAT64) FROM src_crm_leads WHERE __day IS NULL
UNION ALL
SELECT 'unreadable', 'crm_leads', 'first_contact', 'time', CAST(NULL AS STRING), CAST(COALESCE(u0, 0) AS FLOAT64) FROM reads_crm_leads
UNION ALL
SELECT 'undated', 'deals', CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(NULL AS STRING), CAST(COUNT(*) AS FLOAT64) FROM src_deals WHERE __day IS NULL
UNION ALL
SELECT 'unreadable', 'deals', 'won_date', 'time', CAST(NULL AS STRING), CAST(COALESCE(u0, 0) AS FLOAT64) FROM reads_deals
UNION ALL
SELECT 'unreadable', 'deals', 'amount', 'value', CAST(NULL AS STRING), CAST(COALESCE(u1, 0) AS FLOAT64) FROM reads_deals
ORDER BY 1, 2, 3, 4, 5
