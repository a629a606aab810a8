#!/usr/bin/env python3
"""The storm of bench-tenants: every shop's MoySklad pass at once, MoySklad-style (Basic and the
checkauth cookie on every call, all uploads first, then each file imported, polled every 0.5 s),
each call sent to the next instance in turn (no sticky sessions). Prints one line of figures.

    bench-tenants-client.py URLS SHOPS EMAIL PASSWORD FILE...
      URLS   comma-separated exchange URLs, one per instance
      SHOPS  comma-separated shop hosts
"""
import base64, itertools, sys, threading, time, urllib.error, urllib.request

urls, hosts = sys.argv[1].split(','), sys.argv[2].split(',')
email, password, files = sys.argv[3], sys.argv[4], sys.argv[5:]
auth = 'Basic ' + base64.b64encode(f'{email}:{password}'.encode()).decode()
chunk_size = 8 << 20
latencies, failures, lock = [], [], threading.Lock()
by_mode = {}
turns = itertools.count()


def call(host, query, body=None, cookie=None):
    url = urls[next(turns) % len(urls)]
    request = urllib.request.Request(f'{url}?{query}', data=body, method='POST' if body is not None else 'GET')
    request.add_header('Host', host)
    request.add_header('Authorization', auth)
    if cookie:
        request.add_header('Cookie', cookie)
    started = time.monotonic()
    try:
        with urllib.request.urlopen(request, timeout=120) as response:
            text = response.read().decode()
    except urllib.error.HTTPError as err:
        text = f'http {err.code}: {err.read().decode(errors="replace")}'
    except (urllib.error.URLError, OSError) as err:
        text = f'no answer: {err}'
    took = time.monotonic() - started
    mode = 'checkauth' if 'mode=checkauth' in query else 'other'
    with lock:
        latencies.append(took)
        by_mode.setdefault(mode, []).append(took)
    return text


def shop_pass(host):
    try:
        lines = call(host, 'type=catalog&mode=checkauth').split('\n')
        assert lines[0] == 'success', f'checkauth: {lines}'
        cookie = f'{lines[1]}={lines[2]}'
        assert call(host, 'type=catalog&mode=init', cookie=cookie).startswith('zip='), 'init'
        for path in files:
            name = path.rsplit('/', 1)[-1]
            with open(path, 'rb') as f:
                while chunk := f.read(chunk_size):
                    answer = call(host, f'type=catalog&mode=file&filename={name}', chunk, cookie)
                    assert answer.startswith('success'), answer
        for path in files:
            name = path.rsplit('/', 1)[-1]
            while (answer := call(host, f'type=catalog&mode=import&filename={name}', cookie=cookie)).startswith('progress'):
                time.sleep(0.5)
            assert answer.startswith('success'), answer
    except AssertionError as err:
        with lock:
            failures.append(f'{host}: {str(err)[:200]}')


started = time.monotonic()
threads = [threading.Thread(target=shop_pass, args=(host,)) for host in hosts]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
wall = time.monotonic() - started


def p99(values):
    values = sorted(values) or [0]
    return values[max(0, int(len(values) * 0.99) - 1)] * 1000


latencies = sorted(latencies) or [0]
print(f'succeeded {len(hosts) - len(failures)}/{len(hosts)}  wall {wall:.1f} s  '
      f'calls {len(latencies)}  call p99 {p99(latencies):.0f} ms  max {latencies[-1] * 1000:.0f} ms  '
      f'(checkauth p99 {p99(by_mode.get("checkauth", [])):.0f} ms, '
      f'other calls p99 {p99(by_mode.get("other", [])):.0f} ms)')
for failure in failures[:5]:
    print(f'  failed: {failure}')
