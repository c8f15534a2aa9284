# Runs a command in a pseudo-terminal and types answers at its prompts.
# Usage: python3 ptyDrive.py '[["prompt text", "answer"], ...]' command args...
# Prints JSON {"status": exit code, "transcript": everything the terminal showed}; exits 3
# with the transcript so far when a prompt does not appear within 20 seconds.
import json, os, pty, select, sys, time

steps = json.loads(sys.argv[1])
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[2], sys.argv[2:])

seen = b''
def read_some(deadline):
    global seen
    ready, _, _ = select.select([fd], [], [], max(0, deadline - time.time()))
    if not ready:
        return False
    try:
        chunk = os.read(fd, 4096)
    except OSError:  # the child closed the terminal
        return None
    if not chunk:
        return None
    seen += chunk
    return True

def fail(why):
    print(json.dumps({'status': None, 'error': why, 'transcript': seen.decode('utf8', 'replace')}))
    sys.exit(3)

start = 0
for prompt, answer in steps:
    deadline = time.time() + 20
    while prompt.encode() not in seen[start:]:
        got = read_some(deadline)
        if got is None:
            fail('the command ended before the prompt %r' % prompt)
        if got is False:
            fail('no prompt %r within 20 s' % prompt)
    start = seen.index(prompt.encode(), start) + len(prompt.encode())
    os.write(fd, answer.encode() + b'\r')

deadline = time.time() + 60
while read_some(deadline):
    pass
_, status = os.waitpid(pid, 0)
print(json.dumps({'status': os.waitstatus_to_exitcode(status), 'transcript': seen.decode('utf8', 'replace')}))
