"""Helpers for the integration tests (standard library only).

The stack under test is named by the environment that `./dev.sh test`
sets: RESILOPS_URL (nginx, e.g. http://127.0.0.1:18080), RESILOPS_STATE
(the state dir: sockets, pidfiles, config) and RESILOPS_BUILD (where the
programs are).  tests/cluster/cluster.sh also sets RESILOPS_LAYOUT to
"cluster": RESILOPS_URL is then the front of two web hosts and
RESILOPS_STATE the first host's (its config, its pool, and through
run/mysqld.sock the Galera node it lists first).
"""

import http.client
import itertools
import json
import os
import pwd
import secrets
import select
import socket
import struct
import subprocess
import time
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))
BASE_URL = os.environ.get("RESILOPS_URL", "http://127.0.0.1:18080").rstrip("/")
STATE = os.environ.get("RESILOPS_STATE", "")
BUILD = os.environ.get("RESILOPS_BUILD", TOP)
STACK_SH = os.path.join(TOP, "tests", "stack.sh")

_url = urllib.parse.urlsplit(BASE_URL)
HOST = _url.hostname or "127.0.0.1"
PORT = _url.port or 80


class Response:
    """One HTTP answer: .status, .headers (case-insensitive), .body
    (bytes), .text, .json (parsed, or None when the body is not JSON)."""

    def __init__(self, status, headers, body):
        self.status = status
        self.headers = headers
        self.body = body
        self.text = body.decode("utf-8", "replace")
        try:
            self.json = json.loads(self.text) if body else None
        except ValueError:
            self.json = None

    def __repr__(self):
        return "<Response %d %s>" % (self.status, self.text[:200])


def api(method, path, body=None, token=None, headers=None, raw=None,
        timeout=30, source=None, port=None):
    """Send one request through nginx on a fresh connection (to
    127.0.0.1:port when port is given: another stack).

    body is sent as JSON (with Content-Type: application/json); raw is
    sent as is (bytes or str) with no Content-Type unless headers gives
    one.  token adds `Authorization: Bearer <token>`.  headers may
    override anything, Content-Length included.  source is a loopback
    address (127.0.0.N) to send from."""
    hdrs = {}
    data = None
    if body is not None:
        data = json.dumps(body).encode("utf-8")
        hdrs["Content-Type"] = "application/json"
    if raw is not None:
        data = raw.encode("utf-8") if isinstance(raw, str) else raw
    if token is not None:
        hdrs["Authorization"] = "Bearer " + token
    hdrs.update(headers or {})
    conn = http.client.HTTPConnection(
        HOST, port or PORT, timeout=timeout,
        source_address=(source, 0) if source else None)
    try:
        conn.request(method, path, body=data, headers=hdrs)
        resp = conn.getresponse()
        return Response(resp.status, resp.headers, resp.read())
    finally:
        conn.close()


_counter = itertools.count(1)


def unique_name(prefix="u"):
    """A username no other test (or earlier run) uses."""
    return "%s%d_%s" % (prefix, next(_counter), secrets.token_hex(4))


def new_password():
    return "pw-" + secrets.token_hex(8)


_signup_sources = itertools.count(1)


def signup_source():
    """A loopback address of its own (127.1.x.y) for one anonymous signup:
    the suite's people sign up from many machines, so the per-address
    signup limit ([auth] signup_max_addr) sees each once.  Tests of that
    limit send from addresses of their own in 127.0.0.0/24."""
    n = next(_signup_sources) % 65000 + 1
    return "127.1.%d.%d" % (n // 250, n % 250 + 1)


def signup(username=None, password=None, role=None, token=None, source=None,
           **fields):
    """POST /api/auth/signup; returns the Response.  Omitted username and
    password are made up (see unique_name, new_password); an anonymous
    signup comes from signup_source() unless source says otherwise."""
    body = dict(fields)
    body["username"] = username if username is not None else unique_name()
    body["password"] = password if password is not None else new_password()
    if role is not None:
        body["role"] = role
    if source is None and token is None:
        source = signup_source()
    return api("POST", "/api/auth/signup", body, token=token, source=source)


def login(username, password):
    """POST /api/auth/login; returns the access token (fails the caller
    with AssertionError on anything but 200)."""
    r = api("POST", "/api/auth/login",
            {"username": username, "password": password})
    if r.status != 200 or not r.json or "access_token" not in r.json:
        raise AssertionError("login %s: %r" % (username, r))
    return r.json["access_token"]


def admin_cli(*args, stdin=None, check=True):
    """Run resilops-admin against the stack's config; returns the
    CompletedProcess (text mode)."""
    cmd = [os.path.join(BUILD, "resilops-admin"), "-c", config_path()]
    cmd += list(args)
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True,
                          check=check, timeout=60)


def user_with_role(role, username=None, password=None):
    """Create an account with resilops-admin (any role, no API policy in
    the way) and log it in.  Returns (username, password, token)."""
    username = username or unique_name(role.split()[0].lower()[:6])
    password = password or new_password()
    admin_cli("user", "add", username, role, stdin=password + "\n")
    return username, password, login(username, password)


def stack(verb):
    """tests/stack.sh STATE VERB (db-stop, db-start, fcgi-pids, pids, ...);
    returns its standard output."""
    if not STATE:
        raise RuntimeError("RESILOPS_STATE is not set")
    r = subprocess.run([STACK_SH, STATE, verb], capture_output=True,
                       text=True, timeout=120, stdin=subprocess.DEVNULL)
    if r.returncode != 0:
        raise RuntimeError("tests/stack.sh %s failed (%d): %s"
                           % (verb, r.returncode, r.stderr.strip()))
    return r.stdout


def stack_setting(name):
    """A setting the test stack was started with (STATE/stack.env), or ""."""
    with open(os.path.join(STATE, "stack.env")) as f:
        for line in f:
            if line.startswith(name + "="):
                return line.split("=", 1)[1].strip().strip("'\"")
    return ""


def only_in(*layouts, why):
    """Mark a test function or class as holding in these layouts only
    (run.py leaves it out elsewhere, saying why): e.g. a claim about
    "the very next request" that the front may send to another host."""
    def mark(obj):
        obj.LAYOUTS = layouts
        obj.LAYOUTS_WHY = why
        return obj
    return mark


def layout():
    """"single" (one host: ./dev.sh test's stack) or "cluster" (web hosts
    behind a front, on a Galera cluster: tests/cluster/cluster.sh)."""
    return os.environ.get("RESILOPS_LAYOUT") or "single"


def web_server():
    """The web server in front: "nginx" or "apache" (RESILOPS_WEB at the
    stack's start; tests/stack.sh)."""
    return stack_setting("STACK_WEB") or "nginx"


def fcgi_log_path():
    """Where resilops.fcgi's standard error goes: the pool's log behind
    nginx; under mod_fcgid, Apache's error log."""
    name = "apache-error.log" if web_server() == "apache" else "fcgi.log"
    return os.path.join(STATE, "log", name)


def fcgi_pids():
    """The FastCGI workers' pids (not the pool's supervisor), sorted."""
    return sorted(int(p) for p in stack("fcgi-pids").split())


def stack_pids():
    """{"nginx": pid, "fcgi": pid, "mariadb": pid, "sched": pid} for what runs."""
    out = {}
    for line in stack("pids").splitlines():
        name, pid = line.split()
        out[name] = int(pid)
    return out


def children(pid):
    """The pids whose parent is pid."""
    kids = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[1]) == pid:
            kids.append(int(d))
    return kids


def alive(pid):
    """Whether pid runs: a process that exited and is not reaped yet
    (a zombie) does not."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().rsplit(")", 1)[1].split()[0] not in "ZX"
    except OSError:
        return False


def config_path():
    return os.path.join(STATE, "resilops.conf")


def fcgi_socket():
    return os.path.join(STATE, "run", "resilops.sock")


# FastCGI, to talk to resilops.fcgi without the web server.
FCGI_VERSION_1 = 1
FCGI_BEGIN_REQUEST = 1
FCGI_PARAMS = 4
FCGI_STDIN = 5
FCGI_STDOUT = 6
FCGI_END_REQUEST = 3
FCGI_RESPONDER = 1


def fcgi_record(rtype, request_id, content):
    return struct.pack(">BBHHBx", FCGI_VERSION_1, rtype, request_id,
                       len(content), 0) + content


def fcgi_pairs(params):
    """FastCGI name-value pairs (short lengths: all ours are < 128)."""
    out = b""
    for k, v in params.items():
        k, v = k.encode(), v.encode()
        out += bytes([len(k), len(v)]) + k + v
    return out


def fcgi_response(sock):
    """(stdout bytes, saw END_REQUEST) of one request."""
    data, out = b"", b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            break
        data += chunk
    ended = False
    while len(data) >= 8:
        _, rtype, _, clen, plen = struct.unpack(">BBHHBx", data[:8])
        body, data = data[8:8 + clen], data[8 + clen + plen:]
        if rtype == FCGI_STDOUT:
            out += body
        elif rtype == FCGI_END_REQUEST:
            ended = True
    return out, ended


def fcgi_request(sock_path, method, uri, remote_addr="127.0.0.1"):
    """One bodiless request to the FastCGI socket at sock_path, as a web
    server would send it: (status, headers dict, body bytes)."""
    begin = struct.pack(">HB5x", FCGI_RESPONDER, 0)
    params = fcgi_pairs({"REQUEST_METHOD": method, "REQUEST_URI": uri,
                         "QUERY_STRING": uri.partition("?")[2],
                         "REMOTE_ADDR": remote_addr})
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(30)
        s.connect(sock_path)
        s.sendall(fcgi_record(FCGI_BEGIN_REQUEST, 1, begin)
                  + fcgi_record(FCGI_PARAMS, 1, params)
                  + fcgi_record(FCGI_PARAMS, 1, b"")
                  + fcgi_record(FCGI_STDIN, 1, b""))
        out, ended = fcgi_response(s)
    assert ended, "no END_REQUEST from %s: %r" % (sock_path, out)
    head, _, body = out.partition(b"\r\n\r\n")
    headers = {}
    for line in head.decode("latin-1").split("\r\n"):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    status = int(headers.get("status", "200").split()[0])
    return status, headers, body


def wait_until(predicate, timeout=30.0, interval=0.1, what="condition"):
    """Call predicate until it returns something true (returned), at most
    timeout seconds; AssertionError after that."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise AssertionError("timed out after %.0f s waiting for %s"
                                 % (timeout, what))
        time.sleep(interval)


_admin = {}


def remember_admin(username, password, token):
    _admin.update(username=username, password=password, token=token)


def admin():
    """(username, password, token) of an admin: the bootstrap account
    when test_00_bootstrap ran, else one made with resilops-admin."""
    if not _admin:
        remember_admin(*user_with_role("admin"))
    return _admin["username"], _admin["password"], _admin["token"]


def admin_token():
    return admin()[2]


def jwt_claims(token):
    """The payload of a JWT, decoded without checking it."""
    import base64
    part = token.split(".")[1]
    part += "=" * (-len(part) % 4)
    return json.loads(base64.urlsafe_b64decode(part))


def _sql_argv():
    """The mariadb client as the database superuser over the stack's
    socket.  Without TLS: the client asks for it whenever the server has
    it (the stack's does, for its TLS port), and the handshake was most
    of a call's time (53 -> 24 ms) for nothing a local socket needs."""
    sock = os.path.join(STATE, "run", "mysqld.sock")
    user = pwd.getpwuid(os.getuid()).pw_name
    argv = ["mariadb", "--no-defaults", "--skip-ssl", "--socket=" + sock,
            "-u", user, "-N", "-B", "resilops"]
    if layout() == "cluster":
        # What a test reads or changes of what a request wrote through
        # another node waits until this node has applied it: 7, reads,
        # updates, deletes and inserts (1 is reads only).
        argv.insert(-1, "--init-command=SET SESSION wsrep_sync_wait = 7")
    return argv


def sql(statement):
    """Run SQL as the database superuser over the stack's socket (for
    tests that tamper with what the API would never let them)."""
    r = subprocess.run(_sql_argv() + ["-e", statement],
                       capture_output=True, text=True, timeout=60)
    if r.returncode != 0:
        raise RuntimeError("sql failed: %s" % r.stderr.strip())
    return r.stdout


class SqlSession:
    """One mariadb client kept open, for a test that reads the database
    between most of its requests (the statement counters): sql() starts
    a client and connects for each call, 66 ms a call here, which was
    nine tenths of test_statements's time.  A session's state (a
    transaction, a variable) outlives a call, which LockHeld wants and
    sql() does not: it stays one client per call.  query() returns the
    rows as sql() does; an error ends the session (the client exits on
    it) and raises."""

    def __init__(self, timeout=60):
        self.timeout = timeout
        self.proc = subprocess.Popen(_sql_argv() + ["--unbuffered"],
                                     stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE,
                                     stderr=subprocess.PIPE)
        self.pending = b""

    def query(self, statement):
        """The rows of statement (no trailing ;)."""
        marker = "-- end %s" % secrets.token_hex(8)
        try:
            self.proc.stdin.write(("%s;\nSELECT '%s';\n"
                                   % (statement, marker)).encode())
            self.proc.stdin.flush()
        except OSError as e:    # the client has ended
            self.close()
            raise RuntimeError("sql session: %s" % e)
        want = marker.encode() + b"\n"
        out = self.pending
        fd = self.proc.stdout.fileno()
        deadline = time.monotonic() + self.timeout
        while want not in out:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                self.close()
                raise RuntimeError("sql session: no answer in %d s"
                                   % self.timeout)
            chunk = os.read(fd, 65536)
            if not chunk:
                err = self.proc.stderr.read().decode(errors="replace")
                self.close()
                raise RuntimeError("sql failed: %s" % err.strip())
            out += chunk
        rows, _, self.pending = out.partition(want)
        return rows.decode()

    def close(self):
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()


def counted(*names):
    """The statement that adds one to the lists' kept counters (sql/029)
    named, as resilops's own writers do: for a row a test writes behind
    their back, after its INSERT in the same sql() (an INSERT that fails
    stops it there)."""
    return ("UPDATE counters SET n = n + 1 WHERE name IN (%s)"
            % ", ".join("'%s'" % n for n in names))


def free_port():
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def audit_seal():
    """Seal every audit entry written so far into the chain (what
    resilops-sched does each tick; the test stack runs no daemon)."""
    r = admin_cli("audit", "seal")
    return r.stdout


def api_from(source, method, path, body=None, token=None, headers=None):
    """Like api(), from another loopback source address (127.0.0.N), so
    per-address limits of one test do not touch the others."""
    return api(method, path, body, token=token, headers=headers,
               source=source)


def conf_value_or_none(section, key):
    """conf_value, or None when the key is not in the stack's config."""
    import configparser
    try:
        return conf_value(section, key)
    except (configparser.NoOptionError, configparser.NoSectionError):
        return None


def conf_value(section, key):
    """A value from the stack's config file (e.g. the JWT secret, to
    forge tokens that only fail for the reason a test means)."""
    import configparser
    cp = configparser.ConfigParser(inline_comment_prefixes=(";",))
    cp.read(config_path())
    return cp.get(section, key)


_role_tokens = {}


def token_for(role):
    """A token of a (cached) account with this role, made with
    resilops-admin."""
    if role not in _role_tokens:
        _role_tokens[role] = user_with_role(role)[2]
    return _role_tokens[role]


def owner_token():
    return token_for("Business Owner")


def analyst_token():
    return token_for("Ops Analyst")


def engineer_token():
    return token_for("Engineer")


def viewer_token():
    return token_for("user")


def list_all(path, token):
    """Every item of a paged list, a page of 1000 at a time: the suite
    makes more services than one page holds."""
    items, page = [], 1
    while True:
        r = api("GET", "%s%sper_page=1000&page=%d"
                % (path, "&" if "?" in path else "?", page), token=token)
        if r.status != 200:
            raise AssertionError("list %s page %d: %r" % (path, page, r))
        if not r.json:
            return items
        items += r.json
        page += 1


def create_service(name=None, token=None, **fields):
    """POST /api/services as a Business Owner; returns the new id."""
    body = dict(fields)
    body["name"] = name if name is not None else unique_name("svc")
    r = api("POST", "/api/services", body, token=token or owner_token())
    if r.status != 201:
        raise AssertionError("create service: %r" % r)
    return r.json["service_id"]


def lock_waits():
    """How many transactions wait for a row lock now."""
    return int(sql("SELECT COUNT(*) FROM information_schema.INNODB_TRX "
                   "WHERE trx_state = 'LOCK WAIT'"))


class LockHeld:
    """A session of the database superuser that runs a transaction's
    statements (the locks to hold) and keeps it open until close(), which
    rolls it back: what a write must not wait for."""

    def __init__(self, *statements):
        self.session = SqlSession()
        # The locks are taken once the query's marker comes back.
        self.session.query("START TRANSACTION;\n" + ";\n".join(statements))

    def close(self):
        self.session.query("ROLLBACK")
        self.session.close()
