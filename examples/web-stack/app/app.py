"""The web-stack's application: one HTTP endpoint that really uses both data services.

GET /         increments a counter in redis (cache: lost on `down`), inserts a row into postgres (kept in the
              named volume across `down` + `up`) and answers with both numbers:
                  hello from the web-stack: redis hits=3, postgres visits=7
GET /healthz  200 "ok" when redis answers PING and postgres answers SELECT 1, else 503 with the reason.
Settings from the environment: REDIS_HOST, POSTGRES_HOST, POSTGRES_DB, POSTGRES_USER, POSTGRES_PASSWORD, PORT.
"""
import os
import http.server

import psycopg2
import redis

ENV = os.environ
CACHE = redis.Redis(host=ENV.get("REDIS_HOST", "redis"), port=6379, socket_timeout=5)


def database():
    return psycopg2.connect(host=ENV.get("POSTGRES_HOST", "db"), dbname=ENV.get("POSTGRES_DB", "app"),
                            user=ENV.get("POSTGRES_USER", "app"), password=ENV["POSTGRES_PASSWORD"],
                            connect_timeout=5)


def visit():
    hits = CACHE.incr("hits")
    # One connection per request: a stateless app that survives a database restart without reconnect logic.
    with database() as conn, conn.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS visits (id serial PRIMARY KEY, at timestamptz DEFAULT now())")
        cur.execute("INSERT INTO visits DEFAULT VALUES")
        cur.execute("SELECT count(*) FROM visits")
        visits = cur.fetchone()[0]
    conn.close()
    return f"hello from the web-stack: redis hits={hits}, postgres visits={visits}\n"


def health():
    CACHE.ping()
    conn = database()
    try:
        with conn.cursor() as cur:
            cur.execute("SELECT 1")
    finally:
        conn.close()
    return "ok\n"


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        routes = {"/": visit, "/healthz": health}
        if self.path not in routes:
            return self.answer(404, f"no route {self.path}; try / or /healthz\n")
        try:
            self.answer(200, routes[self.path]())
        except (redis.RedisError, psycopg2.Error) as e:
            self.answer(503, f"{type(e).__name__}: {str(e).strip()}\n")

    def answer(self, status, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, fmt, *args):
        if not self.path.startswith("/healthz"):  # probes every second would drown the log
            super().log_message(fmt, *args)


if __name__ == "__main__":
    port = int(ENV.get("PORT", "8000"))
    print(f"web-stack app listening on :{port}")
    http.server.ThreadingHTTPServer(("0.0.0.0", port), Handler).serve_forever()
