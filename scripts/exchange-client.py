#!/usr/bin/env python3
"""A minimal MoySklad-like exchange client for benchmarks: checkauth, init, every file uploaded
in file_limit chunks, then each imported, polling while the answer is `progress`.

    exchange-client.py URL HOST EMAIL PASSWORD FILE...
prints the seconds it took in all, then those of the uploads alone (before the first import)
"""
import base64, sys, time, urllib.request

url, host, email, password, files = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
auth = 'Basic ' + base64.b64encode(f'{email}:{password}'.encode()).decode()
cookie = None


def call(query, body=None):
    request = urllib.request.Request(f'{url}?{query}', data=body, method='POST' if body is not None else 'GET')
    request.add_header('Host', host)
    request.add_header('Authorization', auth)
    if cookie:
        request.add_header('Cookie', cookie)
    with urllib.request.urlopen(request) as response:
        return response.read().decode()


started = time.monotonic()
lines = call('type=catalog&mode=checkauth').split('\n')
assert lines[0] == 'success', lines
cookie = f'{lines[1]}={lines[2]}'
settings = dict(line.split('=', 1) for line in call('type=catalog&mode=init').split('\n') if '=' in line)
limit = int(settings['file_limit'])
for path in files:
    name = path.rsplit('/', 1)[-1]
    with open(path, 'rb') as f:
        while chunk := f.read(limit):
            answer = call(f'type=catalog&mode=file&filename={name}', chunk)
            assert answer.startswith('success'), answer
uploaded = time.monotonic()
for path in files:
    name = path.rsplit('/', 1)[-1]
    while (answer := call(f'type=catalog&mode=import&filename={name}')).startswith('progress'):
        time.sleep(0.05)
    assert answer.startswith('success'), answer
print(f'{time.monotonic() - started:.2f} {uploaded - started:.2f}')
