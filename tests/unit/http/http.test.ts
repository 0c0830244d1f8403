// curl against the lab's web server over two TCP stacks: the page, the headers, and curl's errors and exit codes.
import { describe, expect, it } from 'vitest';
import { HttpServer, apacheSite, exampleDotCom, parseRequestHead } from '../../../core/devices/http-server';
import { curl, dechunk, parseCurlUrl, type ChunkState, type CurlResult, type Resolver } from '../../../core/stack/http-client';
import type { TcpLayer } from '../../../core/stack/tcp';
import { asciiDecode, asciiEncode } from '../../../core/wire/text';
import { FakeNet, ip } from '../tcp/fake-net';

const S = 1_000_000;

function lab(): { net: FakeNet; vm1: TcpLayer; vm2: TcpLayer; web: TcpLayer; resolve: Resolver } {
  const net = new FakeNet();
  const vm1 = net.addHost('10.0.0.1', 11);
  const vm2 = net.addHost('10.0.0.2', 12);
  const web = net.addHost('93.184.216.34', 13);
  const names: Record<string, number> = { vm2: ip('10.0.0.2'), 'www.example.com': ip('93.184.216.34'), 'example.com': ip('93.184.216.34') };
  // A resolver that answers after 2 ms, like a DNS server on the LAN.
  const resolve: Resolver = (name, done) =>
    net.sched.timer(2000, () => done(name in names ? { ok: true, addresses: [names[name]] } : { ok: false }), undefined);
  return { net, vm1, vm2, web, resolve };
}

function run(net: FakeNet, tcp: TcpLayer, resolve: Resolver, args: string[], limitUs = 400 * S): CurlResult & { tookUs: number } {
  let result: CurlResult | null = null;
  const t0 = net.sched.now;
  let at = 0;
  curl(args, { tcp, resolve }, (r) => {
    result = r;
    at = net.sched.now;
  });
  while (result === null && net.sched.now - t0 < limitUs && net.sched.step());
  if (result === null) throw new Error(`curl ${args.join(' ')} did not finish`);
  return { ...(result as CurlResult), tookUs: at - t0 };
}

const WELCOME_RESPONSE =
  'HTTP/1.1 200 OK\r\nDate: Mon, 01 Jan 2024 00:00:00 GMT\r\nServer: Apache/2.4.57 (CentOS)\r\nAccept-Ranges: bytes\r\n' +
  'Content-Length: 24\r\nConnection: close\r\nContent-Type: text/html; charset=UTF-8\r\n\r\n';

describe('HTTP server and curl', () => {
  it('curl http://10.0.0.2/ prints the page that names the machine, after an exact request and response', () => {
    const { net, vm1, vm2, resolve } = lab();
    const httpd = new HttpServer(vm2, apacheSite('vm2'));
    expect(httpd.start()).toBe(true);
    const r = run(net, vm1, resolve, ['http://10.0.0.2/']);
    expect(r).toMatchObject({ exitCode: 0, stdout: '<h1>Welcome to vm2</h1>\n', stderr: '' });
    // The bytes on the wire, read back by our TCP parser.
    const data = net.sent.filter((s) => s.seg.payload.length > 0).map((s) => asciiDecode(s.seg.payload));
    expect(data).toEqual([
      'GET / HTTP/1.1\r\nHost: 10.0.0.2\r\nUser-Agent: curl/7.88.1\r\nAccept: */*\r\n\r\n',
      WELCOME_RESPONSE + '<h1>Welcome to vm2</h1>\n',
    ]);
    expect(httpd.accessLog).toEqual(['10.0.0.1 - - [01/Jan/2024:00:00:00 +0000] "GET / HTTP/1.1" 200 24 "-" "curl/7.88.1"']);
    // Both ends close: the server (which closed first) waits in TIME-WAIT, the client is gone.
    net.sched.runFor(1 * S);
    expect(vm2.connections().map((c) => c.state)).toEqual(['LISTEN', 'TIME-WAIT']);
    expect(vm1.connections()).toEqual([]);
  });

  it('curl -I sends HEAD and prints only the headers; -i prints headers and body', () => {
    const { net, vm1, vm2, resolve } = lab();
    new HttpServer(vm2, apacheSite('vm2')).start();
    const head = run(net, vm1, resolve, ['-I', 'http://vm2/']);
    expect(head.exitCode).toBe(0);
    expect(head.stdout).toBe(WELCOME_RESPONSE);
    expect(asciiDecode(net.sent.find((s) => s.seg.payload.length > 0)?.seg.payload ?? new Uint8Array(0))).toMatch(/^HEAD \/ HTTP\/1\.1\r\nHost: vm2\r\n/);
    const inc = run(net, vm1, resolve, ['-i', 'vm2']);
    expect(inc.stdout).toBe(WELCOME_RESPONSE + '<h1>Welcome to vm2</h1>\n');
  });

  it('curl www.example.com resolves the name and gets the CDN page with its headers', () => {
    const { net, vm1, web, resolve } = lab();
    new HttpServer(web, exampleDotCom()).start();
    const r = run(net, vm1, resolve, ['-i', 'http://www.example.com']);
    expect(r.exitCode).toBe(0);
    const [headers, body] = r.stdout.split('\r\n\r\n');
    expect(headers.split('\r\n')).toEqual([
      'HTTP/1.1 200 OK',
      'Cache-Control: max-age=604800',
      'Content-Type: text/html; charset=UTF-8',
      'Date: Mon, 01 Jan 2024 00:00:00 GMT',
      'Etag: "3147526947+ident"',
      'Expires: Mon, 08 Jan 2024 00:00:00 GMT',
      'Last-Modified: Thu, 17 Oct 2019 07:18:26 GMT',
      'Server: ECS (nyd/D13E)',
      'Vary: Accept-Encoding',
      'X-Cache: HIT',
      `Content-Length: ${body.length}`,
      'Connection: close',
    ]);
    expect(body).toContain('<h1>Example Domain</h1>');
    const req = asciiDecode(net.sent.find((s) => s.seg.payload.length > 0)?.seg.payload ?? new Uint8Array(0));
    expect(req).toContain('\r\nHost: www.example.com\r\n');
  });

  it('answers 404 with Apache\'s page for another path, and curl -f turns it into exit 22', () => {
    const { net, vm1, vm2, resolve } = lab();
    new HttpServer(vm2, apacheSite('vm2')).start();
    const r = run(net, vm1, resolve, ['http://10.0.0.2/missing.html']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(
      '<!DOCTYPE HTML PUBLIC "-//IETF//DTD HTML 2.0//EN">\n<html><head>\n<title>404 Not Found</title>\n</head><body>\n' +
        '<h1>Not Found</h1>\n<p>The requested URL was not found on this server.</p>\n</body></html>\n',
    );
    const f = run(net, vm1, resolve, ['-f', 'http://10.0.0.2/missing.html']);
    expect(f).toMatchObject({ exitCode: 22, stdout: '', stderr: 'curl: (22) The requested URL returned error: 404\n' });
  });

  it('answers 400 to a malformed request and to HTTP/1.1 without Host, 405 to POST', () => {
    const { net, vm1, vm2 } = lab();
    new HttpServer(vm2, apacheSite('vm2')).start();
    const ask = (raw: string): string => {
      let got = '';
      const s = vm1.connect(ip('10.0.0.2'), 80);
      s.onConnect = () => s.write(asciiEncode(raw));
      s.onData = (b) => (got += asciiDecode(b));
      net.sched.runFor(1 * S);
      return got;
    };
    expect(ask('HELLO THERE\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n[\s\S]*<p>Your browser sent a request that this server could not understand.<br \/>\n<\/p>/);
    expect(ask('GET / HTTP/1.1\r\n\r\n')).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(ask('GET / HTTP/1.0\r\n\r\n')).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*<h1>Welcome to vm2<\/h1>\n$/);
    expect(ask('POST / HTTP/1.1\r\nHost: vm2\r\n\r\n')).toMatch(/^HTTP\/1\.1 405 Method Not Allowed\r\n[\s\S]*Allow: GET,HEAD\r\n/);
    expect(parseRequestHead('GET / HTTP/2.0\r\nHost: x')).toEqual({ ok: false, status: 505 });
  });

  it('prints curl\'s errors with their exit codes: 6 unresolved, 7 refused, 28 timed out', () => {
    const { net, vm1, vm2, resolve } = lab();
    new HttpServer(vm2, apacheSite('vm2')).start();
    expect(run(net, vm1, resolve, ['http://nosuch.example/'])).toMatchObject({ exitCode: 6, stdout: '', stderr: 'curl: (6) Could not resolve host: nosuch.example\n' });
    expect(run(net, vm1, resolve, ['http://10.0.0.2:81/'])).toMatchObject({
      exitCode: 7,
      stderr: "curl: (7) Failed to connect to 10.0.0.2 port 81 after 1 ms: Couldn't connect to server\n",
    });
    // No machine answers: the kernel's SYN retries run out after 127 s; curl 7.88 still says "Couldn't connect" but exits 28.
    const t = run(net, vm1, resolve, ['http://10.9.9.9/']);
    expect(t).toMatchObject({ exitCode: 28, stderr: "curl: (28) Failed to connect to 10.9.9.9 port 80 after 127000 ms: Couldn't connect to server\n" });
    expect(t.tookUs).toBe(127 * S);
    expect(run(net, vm1, resolve, ['--connect-timeout', '5', 'http://10.9.9.9/'])).toMatchObject({
      exitCode: 28,
      stderr: 'curl: (28) Connection timed out after 5000 milliseconds\n',
    });
    expect(run(net, vm1, resolve, ['-s', 'http://10.0.0.2:81/'])).toMatchObject({ exitCode: 7, stderr: '' });
    expect(run(net, vm1, resolve, ['-sS', 'http://10.0.0.2:81/']).stderr).toMatch(/^curl: \(7\) Failed to connect/);
    // https: curl connects to 443, where nothing listens.
    expect(run(net, vm1, resolve, ['https://vm2/'])).toMatchObject({
      exitCode: 7,
      stderr: "curl: (7) Failed to connect to vm2 port 443 after 3 ms: Couldn't connect to server\n",
    });
  });

  it('refuses bad command lines and URLs as curl does', () => {
    const { net, vm1, resolve } = lab();
    const help = "curl: try 'curl --help' or 'curl --manual' for more information\n";
    expect(run(net, vm1, resolve, [])).toMatchObject({ exitCode: 2, stderr: `curl: no URL specified!\n${help}` });
    expect(run(net, vm1, resolve, ['--bogus', 'x'])).toMatchObject({ exitCode: 2, stderr: `curl: option --bogus: is unknown\n${help}` });
    expect(run(net, vm1, resolve, ['-o'])).toMatchObject({ exitCode: 2, stderr: `curl: option -o: requires parameter\n${help}` });
    expect(run(net, vm1, resolve, ['ftp://vm2/'])).toMatchObject({ exitCode: 1, stderr: 'curl: (1) Protocol "ftp" not supported or disabled in libcurl\n' });
    expect(run(net, vm1, resolve, ['http://:80/'])).toMatchObject({ exitCode: 3, stderr: 'curl: (3) URL using bad/illegal format or missing URL\n' });
    expect(parseCurlUrl('vm2:8080/a/b?c=1#frag')).toEqual({ ok: true, url: { scheme: 'http', host: 'vm2', port: 8080, path: '/a/b?c=1' } });
  });

  it('curl -v shows the connection, the request and the response headers on stderr', () => {
    const { net, vm1, vm2, resolve } = lab();
    new HttpServer(vm2, apacheSite('vm2')).start();
    const r = run(net, vm1, resolve, ['-v', 'http://vm2/']);
    expect(r.stdout).toBe('<h1>Welcome to vm2</h1>\n');
    expect(r.stderr.split('\n')).toEqual([
      '*   Trying 10.0.0.2:80...',
      '* Connected to vm2 (10.0.0.2) port 80 (#0)',
      '> GET / HTTP/1.1',
      '> Host: vm2',
      '> User-Agent: curl/7.88.1',
      '> Accept: */*',
      '> ',
      '< HTTP/1.1 200 OK',
      '< Date: Mon, 01 Jan 2024 00:00:00 GMT',
      '< Server: Apache/2.4.57 (CentOS)',
      '< Accept-Ranges: bytes',
      '< Content-Length: 24',
      '< Connection: close',
      '< Content-Type: text/html; charset=UTF-8',
      '< ',
      '* Closing connection 0',
      '',
    ]);
    const refused = run(net, vm1, resolve, ['-v', 'http://10.0.0.2:81/']);
    expect(refused.stderr.split('\n')).toEqual([
      '*   Trying 10.0.0.2:81...',
      '* connect to 10.0.0.2 port 81 failed: Connection refused',
      "* Failed to connect to 10.0.0.2 port 81 after 1 ms: Couldn't connect to server",
      '* Closing connection 0',
      "curl: (7) Failed to connect to 10.0.0.2 port 81 after 1 ms: Couldn't connect to server",
      '',
    ]);
  });

  it('curl -s -o /dev/null -w "%{http_code}" prints only the status code', () => {
    const { net, vm1, vm2, resolve } = lab();
    new HttpServer(vm2, apacheSite('vm2')).start();
    expect(run(net, vm1, resolve, ['-s', '-o', '/dev/null', '-w', '%{http_code}\\n', 'http://vm2/'])).toMatchObject({ exitCode: 0, stdout: '200\n' });
    expect(run(net, vm1, resolve, ['-so', '/dev/null', '-w', '%{http_code}', 'http://vm2/nope'])).toMatchObject({ stdout: '404' });
    const saved = run(net, vm1, resolve, ['-o', 'index.html', 'http://vm2/']);
    expect(saved.stdout).toBe('');
    expect(saved.file && asciiDecode(saved.file.bytes)).toBe('<h1>Welcome to vm2</h1>\n');
  });

  it('reports an empty reply (52), a reset (56), a short body (18); reads chunked bodies; follows redirects with -L', () => {
    const { net, vm1, vm2, resolve } = lab();
    vm2.listen(81, (s) => s.end());
    vm2.listen(82, (s) => (s.onData = () => s.abort()));
    vm2.listen(83, (s) => {
      s.onData = () => {
        s.write(asciiEncode('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc'));
        s.end();
      };
    });
    vm2.listen(84, (s) => {
      s.onData = () => {
        s.write(asciiEncode('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n'));
        s.write(asciiEncode('7;ext=1\r\n, world\r\n0\r\n\r\n'));
      };
    });
    vm2.listen(85, (s) => {
      s.onData = (b) => {
        const moved = asciiDecode(b).startsWith('GET / ');
        s.write(asciiEncode(moved ? 'HTTP/1.1 301 Moved Permanently\r\nLocation: /new\r\nContent-Length: 0\r\n\r\n' : 'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nnew'));
        s.end();
      };
    });
    expect(run(net, vm1, resolve, ['http://vm2:81/'])).toMatchObject({ exitCode: 52, stderr: 'curl: (52) Empty reply from server\n' });
    expect(run(net, vm1, resolve, ['http://vm2:82/'])).toMatchObject({ exitCode: 56, stderr: 'curl: (56) Recv failure: Connection reset by peer\n' });
    expect(run(net, vm1, resolve, ['http://vm2:83/'])).toMatchObject({ exitCode: 18, stdout: 'abc', stderr: 'curl: (18) transfer closed with 7 bytes remaining to read\n' });
    expect(run(net, vm1, resolve, ['http://vm2:84/'])).toMatchObject({ exitCode: 0, stdout: 'hello, world' });
    expect(run(net, vm1, resolve, ['http://vm2:85/'])).toMatchObject({ exitCode: 0, stdout: '' });
    expect(run(net, vm1, resolve, ['-L', 'http://vm2:85/'])).toMatchObject({ exitCode: 0, stdout: 'new' });
  });

  it('decodes chunked bodies split anywhere', () => {
    const wire = asciiEncode('4\r\nWiki\r\n6\r\npedia \r\nE\r\nin \r\n\r\nchunks.\r\n0\r\n\r\n');
    for (let cut = 0; cut <= wire.length; cut++) {
      let state: ChunkState = { remaining: -1, done: false, pending: new Uint8Array(0) };
      const a = dechunk(state, wire.subarray(0, cut));
      state = a.state;
      const b = dechunk(state, wire.subarray(cut));
      expect(asciiDecode(a.data) + asciiDecode(b.data)).toBe('Wikipedia in \r\n\r\nchunks.');
      expect(b.state.done).toBe(true);
    }
  });
});
