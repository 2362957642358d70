/*
 * testserver: the program every real-container scenario runs inside its container.
 * Built with `gcc -static` so the image can be `FROM scratch`; needs no DNS and no files.
 *
 * Environment:
 *   PORTS            comma-separated TCP ports to listen on (default 8080)
 *   LISTEN_DELAY_MS  wait this long after boot before listening (a slow-booting app)
 *   PORT_DELAYS      per-port extra delays, e.g. "9090:24000" (port 9090 opens 24 s after the others)
 *   READY_AFTER_MS   GET /ready answers 503 until this long after boot, then 200;
 *                    "never" keeps answering 503 (default 0)
 *   TERM_EXIT_CODE   exit code after SIGTERM (default 0)
 *
 * Routes. Every answer carries Content-Length and closes the connection (a body without a length
 * never ends for workerd behind the egress sidecar):
 *   GET /info        {"id","host","boot","port","pid","uptimeMs","ready","args":[...],"listening":[...],"bad","hits":{...}}
 *                    (`host` is HOSTNAME, i.e. the Docker container id; `args` the command line after
 *                    the program; `listening` the ports open now)
 *   GET /env         every environment variable, as one JSON object
 *   GET /ready       200 "ready" once READY_AFTER_MS has passed, else 503 "warming up"
 *   GET /status/NNN  status NNN with body "app answered NNN" (an honest application answer)
 *   GET /mark-bad    from now on /maybe answers 500
 *   GET /maybe       500 "bad instance <host>" when marked bad, else the /info document
 *   GET /exit/N      answers, then exits with code N
 *   GET /print/WORD  prints "stdout WORD" to stdout and "stderr WORD" to stderr, then answers "printed"
 *   GET /flood/N     prints N numbered lines to stdout as fast as it can, then answers "flooded N"
 *   GET /ws          WebSocket echo: a text message m comes back as "echo: m"
 *   GET /egress?target=IP:PORT&host=H&path=P
 *                    an outbound HTTP request through the egress sidecar's entry (127.0.0.1:15080):
 *                    `CONNECT target`, then `GET P` with `Host: H`; answers
 *                    {"connect":<status>,"status":<status>,"body":"..."} (0 when nothing came back)
 * `hits` counts requests per first path segment ("status", "maybe", ...), /ready excluded.
 * On SIGTERM it prints "testserver: received SIGTERM" to stdout and exits with TERM_EXIT_CODE.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static struct timespec boot_time;
static char boot_nonce[17];
static long ready_after_ms;
static int never_ready;
static int term_exit_code;
static int arg_count;
static char **args;

static pthread_mutex_t state_lock = PTHREAD_MUTEX_INITIALIZER;
static int marked_bad;
#define MAX_ROUTES 32
static struct {
  char name[32];
  long count;
} hits[MAX_ROUTES];
static int hit_routes;
#define MAX_PORTS 16
static int listening[MAX_PORTS];
static int listening_count;

/* ---------------------------------------------------------------- small helpers */

static long uptime_ms(void) {
  struct timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - boot_time.tv_sec) * 1000L + (now.tv_nsec - boot_time.tv_nsec) / 1000000L;
}

static int write_all(int fd, const void *data, size_t len) {
  const char *p = data;
  while (len > 0) {
    ssize_t n = write(fd, p, len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return -1;
    p += n;
    len -= (size_t)n;
  }
  return 0;
}

static void say(const char *fmt, ...) {
  char line[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  if (n > 0) write_all(1, line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1);
}

/* A growable string buffer for response bodies. */
struct buf {
  char *data;
  size_t len, cap;
};

static void buf_add(struct buf *b, const char *s, size_t n) {
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + n + 1) cap *= 2;
    char *grown = realloc(b->data, cap);
    if (!grown) abort();
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, s, n);
  b->len += n;
  b->data[b->len] = 0;
}

static void buf_str(struct buf *b, const char *s) { buf_add(b, s, strlen(s)); }

static void buf_printf(struct buf *b, const char *fmt, ...) {
  char tmp[256];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n > 0) buf_add(b, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}

static void buf_json_string(struct buf *b, const char *s) {
  buf_str(b, "\"");
  for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
    if (*p == '"' || *p == '\\') {
      char esc[2] = {'\\', (char)*p};
      buf_add(b, esc, 2);
    } else if (*p < 0x20) {
      buf_printf(b, "\\u%04x", *p);
    } else {
      buf_add(b, (const char *)p, 1);
    }
  }
  buf_str(b, "\"");
}

static void respond(int fd, int status, const char *type, const char *body, size_t len) {
  const char *reason = status == 200 ? "OK" : status == 404 ? "Not Found" : status >= 500 ? "Server Error" : "Status";
  char head[256];
  int n = snprintf(head, sizeof head,
                   "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n", status,
                   reason, type, len);
  write_all(fd, head, (size_t)n);
  write_all(fd, body, len);
}

static void respond_text(int fd, int status, const char *text) { respond(fd, status, "text/plain", text, strlen(text)); }

static void count_hit(const char *path) {
  char name[32] = {0};
  const char *start = path[0] == '/' ? path + 1 : path;
  size_t n = strcspn(start, "/?");
  if (n >= sizeof name) n = sizeof name - 1;
  memcpy(name, start, n);
  if (strcmp(name, "ready") == 0) return;
  pthread_mutex_lock(&state_lock);
  int i;
  for (i = 0; i < hit_routes; i++)
    if (strcmp(hits[i].name, name) == 0) break;
  if (i == hit_routes && hit_routes < MAX_ROUTES) {
    strcpy(hits[hit_routes].name, name);
    hits[hit_routes].count = 0;
    hit_routes++;
  }
  if (i < MAX_ROUTES) hits[i].count++;
  pthread_mutex_unlock(&state_lock);
}

static int is_ready(void) { return !never_ready && uptime_ms() >= ready_after_ms; }

static void json_env(struct buf *b, const char *name) {
  const char *value = getenv(name);
  if (value) buf_json_string(b, value);
  else buf_str(b, "null");
}

static void info_json(struct buf *b, int port) {
  buf_str(b, "{\"id\":");
  json_env(b, "CLOUDFLARE_DURABLE_OBJECT_ID");
  buf_str(b, ",\"host\":");
  json_env(b, "HOSTNAME");
  buf_printf(b, ",\"boot\":\"%s\",\"port\":%d,\"pid\":%d,\"uptimeMs\":%ld,\"ready\":%s", boot_nonce, port, (int)getpid(),
             uptime_ms(), is_ready() ? "true" : "false");
  buf_str(b, ",\"args\":[");
  for (int i = 0; i < arg_count; i++) {
    if (i) buf_str(b, ",");
    buf_json_string(b, args[i]);
  }
  buf_str(b, "]");
  pthread_mutex_lock(&state_lock);
  buf_str(b, ",\"listening\":[");
  for (int i = 0; i < listening_count; i++) buf_printf(b, "%s%d", i ? "," : "", listening[i]);
  buf_printf(b, "],\"bad\":%s,\"hits\":{", marked_bad ? "true" : "false");
  for (int i = 0; i < hit_routes; i++) {
    if (i) buf_str(b, ",");
    buf_json_string(b, hits[i].name);
    buf_printf(b, ":%ld", hits[i].count);
  }
  pthread_mutex_unlock(&state_lock);
  buf_str(b, "}}");
}

/* ---------------------------------------------------------------- SHA-1 + base64 (WebSocket accept) */

static uint32_t rol(uint32_t v, int n) { return (v << n) | (v >> (32 - n)); }

static void sha1(const unsigned char *msg, size_t len, unsigned char out[20]) {
  uint32_t h[5] = {0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476, 0xC3D2E1F0};
  size_t total = ((len + 8) / 64 + 1) * 64;
  unsigned char *m = calloc(total, 1);
  if (!m) abort();
  memcpy(m, msg, len);
  m[len] = 0x80;
  uint64_t bits = (uint64_t)len * 8;
  for (int i = 0; i < 8; i++) m[total - 1 - i] = (unsigned char)(bits >> (8 * i));
  for (size_t off = 0; off < total; off += 64) {
    uint32_t w[80];
    for (int i = 0; i < 16; i++)
      w[i] = (uint32_t)m[off + 4 * i] << 24 | (uint32_t)m[off + 4 * i + 1] << 16 | (uint32_t)m[off + 4 * i + 2] << 8 |
             m[off + 4 * i + 3];
    for (int i = 16; i < 80; i++) w[i] = rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; i++) {
      uint32_t f, k;
      if (i < 20) f = (b & c) | (~b & d), k = 0x5A827999;
      else if (i < 40) f = b ^ c ^ d, k = 0x6ED9EBA1;
      else if (i < 60) f = (b & c) | (b & d) | (c & d), k = 0x8F1BBCDC;
      else f = b ^ c ^ d, k = 0xCA62C1D6;
      uint32_t t = rol(a, 5) + f + e + k + w[i];
      e = d, d = c, c = rol(b, 30), b = a, a = t;
    }
    h[0] += a, h[1] += b, h[2] += c, h[3] += d, h[4] += e;
  }
  free(m);
  for (int i = 0; i < 5; i++)
    for (int j = 0; j < 4; j++) out[4 * i + j] = (unsigned char)(h[i] >> (24 - 8 * j));
}

static void base64(const unsigned char *in, size_t len, char *out) {
  static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t o = 0;
  for (size_t i = 0; i < len; i += 3) {
    uint32_t v = (uint32_t)in[i] << 16 | (i + 1 < len ? (uint32_t)in[i + 1] << 8 : 0) | (i + 2 < len ? in[i + 2] : 0);
    out[o++] = tbl[(v >> 18) & 63];
    out[o++] = tbl[(v >> 12) & 63];
    out[o++] = i + 1 < len ? tbl[(v >> 6) & 63] : '=';
    out[o++] = i + 2 < len ? tbl[v & 63] : '=';
  }
  out[o] = 0;
}

/* ---------------------------------------------------------------- WebSocket echo */

static int read_exact(int fd, unsigned char *p, size_t n) {
  while (n > 0) {
    ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

static void ws_send(int fd, int opcode, const unsigned char *data, size_t len) {
  unsigned char head[10];
  size_t h = 0;
  head[h++] = (unsigned char)(0x80 | opcode);
  if (len < 126) {
    head[h++] = (unsigned char)len;
  } else {
    head[h++] = 126;
    head[h++] = (unsigned char)(len >> 8);
    head[h++] = (unsigned char)len;
  }
  write_all(fd, head, h);
  write_all(fd, data, len);
}

static void websocket_echo(int fd, const char *key) {
  static const char guid[] = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
  char joined[320];
  snprintf(joined, sizeof joined, "%s%s", key, guid);
  unsigned char digest[20];
  sha1((const unsigned char *)joined, strlen(joined), digest);
  char accept[32];
  base64(digest, sizeof digest, accept);
  char head[256];
  int n = snprintf(head, sizeof head,
                   "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                   "Sec-WebSocket-Accept: %s\r\n\r\n",
                   accept);
  write_all(fd, head, (size_t)n);
  for (;;) {
    unsigned char hdr[2];
    if (read_exact(fd, hdr, 2) < 0) return;
    int opcode = hdr[0] & 0x0f;
    uint64_t len = hdr[1] & 0x7f;
    if (len == 126) {
      unsigned char ext[2];
      if (read_exact(fd, ext, 2) < 0) return;
      len = (uint64_t)ext[0] << 8 | ext[1];
    } else if (len == 127) {
      unsigned char ext[8];
      if (read_exact(fd, ext, 8) < 0) return;
      len = 0;
      for (int i = 0; i < 8; i++) len = len << 8 | ext[i];
    }
    if (len > 65536) return;
    unsigned char mask[4] = {0};
    if ((hdr[1] & 0x80) && read_exact(fd, mask, 4) < 0) return;
    unsigned char payload[65536 + 6];
    memcpy(payload, "echo: ", 6);
    if (read_exact(fd, payload + 6, (size_t)len) < 0) return;
    for (uint64_t i = 0; i < len; i++) payload[6 + i] ^= mask[i % 4];
    if (opcode == 1 || opcode == 2) {
      ws_send(fd, 1, payload, (size_t)len + 6);
    } else if (opcode == 9) {
      ws_send(fd, 10, payload + 6, (size_t)len);
    } else if (opcode == 8) {
      ws_send(fd, 8, payload + 6, (size_t)len);
      return;
    }
  }
}

static const char *header_value(const char *head, const char *name, char *out, size_t cap);

/* ---------------------------------------------------------------- egress through the sidecar */

/* The value of `name` in the query string `query` (no decoding; the suite sends plain values). */
static int query_param(const char *query, const char *name, char *out, size_t cap) {
  size_t n = strlen(name);
  for (const char *p = query; p && *p;) {
    if (strncmp(p, name, n) == 0 && p[n] == '=') {
      size_t len = strcspn(p + n + 1, "&");
      if (len >= cap) len = cap - 1;
      memcpy(out, p + n + 1, len);
      out[len] = 0;
      return 1;
    }
    const char *amp = strchr(p, '&');
    p = amp ? amp + 1 : NULL;
  }
  return 0;
}

static int status_of(const char *response) {
  int status = 0;
  return sscanf(response, "HTTP/%*s %d", &status) == 1 ? status : 0;
}

static void egress_probe(struct buf *b, const char *query) {
  char target[128] = "", host[128] = "", path[256] = "/";
  query_param(query, "target", target, sizeof target);
  query_param(query, "host", host, sizeof host);
  query_param(query, "path", path, sizeof path);
  int connect_status = 0, status = 0;
  struct buf answer = {0};
  int s = socket(AF_INET, SOCK_STREAM, 0);
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(15080);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  struct timeval timeout = {10, 0};
  setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  if (connect(s, (struct sockaddr *)&addr, sizeof addr) == 0) {
    char req[512];
    int n = snprintf(req, sizeof req, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", target, target);
    write_all(s, req, (size_t)n);
    /* The CONNECT answer ends with an empty line; read it byte by byte so nothing after it is lost. */
    char head[2048];
    size_t len = 0;
    head[0] = 0;
    while (len < sizeof head - 1 && read(s, head + len, 1) == 1) {
      len++;
      head[len] = 0;
      if (len >= 4 && memcmp(head + len - 4, "\r\n\r\n", 4) == 0) break;
    }
    connect_status = status_of(head);
    if (connect_status == 200) {
      n = snprintf(req, sizeof req, "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n", path, host);
      write_all(s, req, (size_t)n);
    } else {
      buf_add(&answer, head, len);
    }
    /* Read the answer until its Content-Length is complete (workerd keeps the connection open). */
    char chunk[4096];
    ssize_t r;
    while (answer.len < 65536 && (r = read(s, chunk, sizeof chunk)) > 0) {
      buf_add(&answer, chunk, (size_t)r);
      const char *end = strstr(answer.data, "\r\n\r\n");
      char value[32];
      if (end && header_value(answer.data, "Content-Length", value, sizeof value) &&
          answer.len >= (size_t)(end + 4 - answer.data) + (size_t)atol(value))
        break;
    }
    if (connect_status == 200 && answer.data) status = status_of(answer.data);
  }
  close(s);
  const char *body = answer.data ? strstr(answer.data, "\r\n\r\n") : NULL;
  buf_printf(b, "{\"connect\":%d,\"status\":%d,\"body\":", connect_status, status);
  buf_json_string(b, body ? body + 4 : "");
  buf_str(b, "}");
  free(answer.data);
}

/* ---------------------------------------------------------------- HTTP */

struct conn {
  int fd;
  int port;
};

static const char *header_value(const char *head, const char *name, char *out, size_t cap) {
  size_t nlen = strlen(name);
  for (const char *line = strstr(head, "\r\n"); line; line = strstr(line + 2, "\r\n")) {
    const char *h = line + 2;
    if (strncasecmp(h, name, nlen) == 0 && h[nlen] == ':') {
      h += nlen + 1;
      while (*h == ' ') h++;
      size_t n = strcspn(h, "\r\n");
      if (n >= cap) n = cap - 1;
      memcpy(out, h, n);
      out[n] = 0;
      return out;
    }
  }
  return NULL;
}

static void *serve(void *arg) {
  struct conn c = *(struct conn *)arg;
  free(arg);
  char req[16384];
  size_t len = 0;
  char *end = NULL;
  while (len < sizeof req - 1) {
    ssize_t n = read(c.fd, req + len, sizeof req - 1 - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += (size_t)n;
    req[len] = 0;
    if ((end = strstr(req, "\r\n\r\n"))) break;
  }
  if (!end) {
    close(c.fd);
    return NULL;
  }
  long have = (long)(len - (size_t)(end + 4 - req));
  end[2] = 0; /* headers end with the last header's CRLF */
  char method[16] = {0}, path[1024] = {0};
  sscanf(req, "%15s %1023s", method, path);
  char value[256];
  long body_len = header_value(req, "Content-Length", value, sizeof value) ? atol(value) : 0;
  while (have < body_len) {
    char sink[4096];
    ssize_t n = read(c.fd, sink, sizeof sink);
    if (n <= 0) break;
    have += n;
  }
  count_hit(path);

  struct buf b = {0};
  if (strcmp(path, "/ws") == 0 && header_value(req, "Sec-WebSocket-Key", value, sizeof value)) {
    websocket_echo(c.fd, value);
  } else if (strcmp(path, "/info") == 0) {
    info_json(&b, c.port);
    respond(c.fd, 200, "application/json", b.data, b.len);
  } else if (strcmp(path, "/env") == 0) {
    buf_str(&b, "{");
    for (char **e = environ; *e; e++) {
      char *eq = strchr(*e, '=');
      if (!eq) continue;
      char name[256];
      size_t n = (size_t)(eq - *e) < sizeof name - 1 ? (size_t)(eq - *e) : sizeof name - 1;
      memcpy(name, *e, n);
      name[n] = 0;
      if (e != environ) buf_str(&b, ",");
      buf_json_string(&b, name);
      buf_str(&b, ":");
      buf_json_string(&b, eq + 1);
    }
    buf_str(&b, "}");
    respond(c.fd, 200, "application/json", b.data, b.len);
  } else if (strcmp(path, "/ready") == 0) {
    if (is_ready()) respond_text(c.fd, 200, "ready");
    else respond_text(c.fd, 503, "warming up");
  } else if (strncmp(path, "/status/", 8) == 0) {
    int status = atoi(path + 8);
    if (status < 200 || status > 599) status = 400;
    buf_printf(&b, "app answered %d", status);
    respond(c.fd, status, "text/plain", b.data, b.len);
  } else if (strcmp(path, "/mark-bad") == 0) {
    pthread_mutex_lock(&state_lock);
    marked_bad = 1;
    pthread_mutex_unlock(&state_lock);
    respond_text(c.fd, 200, "marked bad");
  } else if (strcmp(path, "/maybe") == 0) {
    pthread_mutex_lock(&state_lock);
    int bad = marked_bad;
    pthread_mutex_unlock(&state_lock);
    if (bad) {
      const char *host = getenv("HOSTNAME");
      buf_printf(&b, "bad instance %s", host ? host : "?");
      respond(c.fd, 500, "text/plain", b.data, b.len);
    } else {
      info_json(&b, c.port);
      respond(c.fd, 200, "application/json", b.data, b.len);
    }
  } else if (strncmp(path, "/egress?", 8) == 0) {
    egress_probe(&b, path + 8);
    respond(c.fd, 200, "application/json", b.data, b.len);
  } else if (strncmp(path, "/print/", 7) == 0) {
    char line[1100];
    int n = snprintf(line, sizeof line, "stdout %s\n", path + 7);
    write_all(1, line, (size_t)n);
    n = snprintf(line, sizeof line, "stderr %s\n", path + 7);
    write_all(2, line, (size_t)n);
    respond_text(c.fd, 200, "printed");
  } else if (strncmp(path, "/flood/", 7) == 0) {
    long lines = atol(path + 7);
    struct buf out = {0};
    for (long i = 1; i <= lines; i++) {
      buf_printf(&out, "flood line %ld of %ld\n", i, lines);
      if (out.len > 60000 || i == lines) {
        write_all(1, out.data, out.len);
        out.len = 0;
      }
    }
    free(out.data);
    buf_printf(&b, "flooded %ld", lines);
    respond(c.fd, 200, "text/plain", b.data, b.len);
  } else if (strncmp(path, "/exit/", 6) == 0) {
    int code = atoi(path + 6);
    respond_text(c.fd, 200, "exiting");
    close(c.fd);
    say("testserver: exiting with code %d on request\n", code);
    usleep(100 * 1000);
    _exit(code);
  } else {
    respond_text(c.fd, 404, "no such route");
  }
  free(b.data);
  close(c.fd);
  return NULL;
}

/* ---------------------------------------------------------------- listeners */

struct listener {
  int port;
  long delay_ms;
};

/* Opens one port (after its delay) and serves it, a thread per connection. */
static void *listen_and_serve(void *arg) {
  struct listener l = *(struct listener *)arg;
  free(arg);
  if (l.delay_ms > 0) usleep((useconds_t)l.delay_ms * 1000);
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)l.port);
  addr.sin_addr.s_addr = htonl(INADDR_ANY);
  if (bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 64) != 0) {
    say("testserver: cannot listen on %d: %s\n", l.port, strerror(errno));
    _exit(1);
  }
  pthread_mutex_lock(&state_lock);
  if (listening_count < MAX_PORTS) listening[listening_count++] = l.port;
  pthread_mutex_unlock(&state_lock);
  say("testserver: listening on %d\n", l.port);
  for (;;) {
    int client = accept(fd, NULL, NULL);
    if (client < 0) continue;
    struct conn *c = malloc(sizeof *c);
    if (!c) abort();
    c->fd = client;
    c->port = l.port;
    pthread_t t;
    if (pthread_create(&t, NULL, serve, c) != 0) {
      close(client);
      free(c);
      continue;
    }
    pthread_detach(t);
  }
  return NULL;
}

/* The extra delay PORT_DELAYS gives `port` ("9090:24000,7070:100"), 0 when none. */
static long port_delay(int port) {
  const char *spec = getenv("PORT_DELAYS");
  for (const char *p = spec; p && *p;) {
    const char *colon = strchr(p, ':');
    if (atoi(p) == port && colon) return atol(colon + 1);
    const char *comma = strchr(p, ',');
    p = comma ? comma + 1 : NULL;
  }
  return 0;
}

static void on_term(int sig) {
  (void)sig;
  static const char msg[] = "testserver: received SIGTERM\n";
  write_all(1, msg, sizeof msg - 1);
  _exit(term_exit_code);
}

int main(int argc, char **argv) {
  clock_gettime(CLOCK_MONOTONIC, &boot_time);
  arg_count = argc - 1;
  args = argv + 1;
  unsigned char raw[8];
  int rnd = open("/dev/urandom", O_RDONLY);
  if (rnd < 0 || read(rnd, raw, sizeof raw) != (ssize_t)sizeof raw) {
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    uint64_t v = (uint64_t)now.tv_sec * 1000000007ULL ^ (uint64_t)now.tv_nsec;
    memcpy(raw, &v, sizeof raw);
  }
  if (rnd >= 0) close(rnd);
  for (int i = 0; i < 8; i++) snprintf(boot_nonce + 2 * i, 3, "%02x", raw[i]);

  const char *ready = getenv("READY_AFTER_MS");
  never_ready = ready && strcmp(ready, "never") == 0;
  ready_after_ms = ready && !never_ready ? atol(ready) : 0;
  const char *term = getenv("TERM_EXIT_CODE");
  term_exit_code = term ? atoi(term) : 0;
  signal(SIGPIPE, SIG_IGN);
  struct sigaction sa = {0};
  sa.sa_handler = on_term;
  sigaction(SIGTERM, &sa, NULL);

  const char *ports = getenv("PORTS");
  if (!ports || !*ports) ports = "8080";
  const char *delay = getenv("LISTEN_DELAY_MS");
  say("testserver: boot %s, ports %s, listening in %s ms\n", boot_nonce, ports, delay ? delay : "0");
  if (delay) usleep((useconds_t)atol(delay) * 1000);

  char list[256];
  snprintf(list, sizeof list, "%s", ports);
  pthread_t threads[MAX_PORTS];
  int started = 0;
  for (char *save = NULL, *tok = strtok_r(list, ",", &save); tok && started < MAX_PORTS;
       tok = strtok_r(NULL, ",", &save)) {
    struct listener *l = malloc(sizeof *l);
    if (!l) abort();
    l->port = atoi(tok);
    l->delay_ms = port_delay(l->port);
    pthread_create(&threads[started++], NULL, listen_and_serve, l);
  }
  for (int i = 0; i < started; i++) pthread_join(threads[i], NULL);
  return 0;
}
