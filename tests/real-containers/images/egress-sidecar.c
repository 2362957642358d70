/*
 * egress-sidecar: an offline stand-in for Cloudflare's `cloudflare/proxy-everything` image, which
 * workerd's local container engine starts as `<container>-proxy` next to every container (Docker
 * Hub is unreachable here). The app container joins this container's network namespace, and
 * workerd reaches the app only through this program, on `--http-ingress-address` (default
 * 0.0.0.0:39001):
 *   PUT /egress             200. workerd's readiness probe, carrying the egress configuration as
 *                           JSON; the body is printed to stdout ("egress-sidecar: PUT /egress <json>")
 *                           so a test can read what workerd asked for with `docker logs`.
 *   GET /ca                 200 with a placeholder PEM (read when HTTPS interception is used).
 *   CONNECT 127.0.0.1:PORT  200 and a raw TCP tunnel to PORT in the shared namespace; 400 when
 *                           nothing listens there (workerd reports that as "not listening").
 *                           Each CONNECT is logged to stdout with its outcome.
 * Egress: the real sidecar captures the container's outbound connections transparently and hands
 * them to workerd's egress listener (the `port` of PUT /egress, on the network's gateway), where
 * the Durable Object's ContainerProxy applies enableInternet / allowedHosts / deniedHosts. This
 * stand-in cannot capture transparently; instead it listens on 127.0.0.1:15080 inside the shared
 * namespace and relays whatever connects there to that egress listener unchanged. A container
 * that speaks `CONNECT <ip>:<port>` + an HTTP request to 127.0.0.1:15080 therefore goes through
 * the same workerd egress path a transparently captured connection would.
 * What it does NOT do: transparent capture (plain outbound connections are not intercepted), DNS
 * filtering, TLS interception.
 *
 * Build: gcc -O2 -static -o egress-sidecar egress-sidecar.c
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

/* The egress listener's port from the last PUT /egress, shared with every forked handler. */
static volatile int *egress_port;
#define EGRESS_ENTRY_PORT 15080

static const char PLACEHOLDER_CA[] =
    "-----BEGIN CERTIFICATE-----\n"
    "bm90IGEgcmVhbCBjZXJ0aWZpY2F0ZTogb2ZmbGluZSBzaWRlY2FyIHN0YW5kLWlu\n"
    "-----END CERTIFICATE-----\n";

static int send_all(int fd, const char *p, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    p += w;
    n -= (size_t)w;
  }
  return 0;
}

static void answer(int fd, const char *status, const char *body) {
  char head[256];
  int n = snprintf(head, sizeof head,
                   "HTTP/1.1 %s\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n", status,
                   strlen(body));
  send_all(fd, head, (size_t)n);
  send_all(fd, body, strlen(body));
}

/* Connects to an IPv4 "host:port" target (localhost allowed); -1 when it cannot. */
static int connect_target(const char *target) {
  const char *colon = strrchr(target, ':');
  char host[64];
  if (!colon || (size_t)(colon - target) >= sizeof host) return -1;
  memcpy(host, target, (size_t)(colon - target));
  host[colon - target] = 0;
  if (strcmp(host, "localhost") == 0) strcpy(host, "127.0.0.1");
  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((unsigned short)atoi(colon + 1));
  if (inet_pton(AF_INET, host, &addr.sin_addr) != 1) return -1;
  int s = socket(AF_INET, SOCK_STREAM, 0);
  if (s < 0) return -1;
  if (connect(s, (struct sockaddr *)&addr, sizeof addr) != 0) {
    close(s);
    return -1;
  }
  return s;
}

/* The IPv4 default gateway (where workerd's egress listener is), as "a.b.c.d"; 0 on success. */
static int default_gateway(char *out, size_t cap) {
  FILE *f = fopen("/proc/net/route", "r");
  if (!f) return -1;
  char line[256];
  int found = -1;
  while (fgets(line, sizeof line, f)) {
    char iface[64];
    unsigned long dest, gw;
    if (sscanf(line, "%63s %lx %lx", iface, &dest, &gw) == 3 && dest == 0 && gw != 0) {
      struct in_addr a = {.s_addr = (in_addr_t)gw};
      snprintf(out, cap, "%s", inet_ntoa(a));
      found = 0;
      break;
    }
  }
  fclose(f);
  return found;
}

/* Copies bytes both ways until the container side closes (which ends a response). */
static void tunnel(int client, int upstream) {
  struct pollfd fds[2] = {{client, POLLIN, 0}, {upstream, POLLIN, 0}};
  char chunk[65536];
  int client_open = 1;
  for (;;) {
    fds[0].fd = client_open ? client : -1;
    if (poll(fds, 2, -1) < 0) {
      if (errno == EINTR) continue;
      return;
    }
    if (fds[1].revents & (POLLIN | POLLHUP | POLLERR)) {
      ssize_t n = read(upstream, chunk, sizeof chunk);
      if (n <= 0 || send_all(client, chunk, (size_t)n) < 0) return;
    }
    if (client_open && (fds[0].revents & (POLLIN | POLLHUP | POLLERR))) {
      ssize_t n = read(client, chunk, sizeof chunk);
      if (n <= 0) {
        shutdown(upstream, SHUT_WR);
        client_open = 0;
      } else if (send_all(upstream, chunk, (size_t)n) < 0) {
        return;
      }
    }
  }
}

static void handle(int fd) {
  char req[32768];
  size_t len = 0;
  char *end = NULL;
  while (len < sizeof req - 1) {
    ssize_t n = read(fd, req + len, sizeof req - 1 - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;
    len += (size_t)n;
    req[len] = 0;
    if ((end = strstr(req, "\r\n\r\n"))) break;
  }
  if (!end) return;
  size_t head_len = (size_t)(end + 4 - req);
  char method[16] = {0}, target[512] = {0};
  if (sscanf(req, "%15s %511s", method, target) != 2) return;

  if (strcmp(method, "CONNECT") == 0) {
    int upstream = connect_target(target);
    printf("egress-sidecar: CONNECT %s -> %s\n", target, upstream < 0 ? "400 (not listening)" : "200");
    fflush(stdout);
    if (upstream < 0) {
      answer(fd, "400 Bad Request", "container port not listening\n");
      return;
    }
    static const char ok[] = "HTTP/1.1 200 OK\r\n\r\n";
    send_all(fd, ok, sizeof ok - 1);
    if (len > head_len) send_all(upstream, req + head_len, len - head_len);
    tunnel(fd, upstream);
    close(upstream);
    return;
  }

  long body_len = 0;
  for (char *h = strstr(req, "\r\n"); h && h < end; h = strstr(h + 2, "\r\n"))
    if (strncasecmp(h + 2, "Content-Length:", 15) == 0) body_len = atol(h + 17);
  static char body[65536];
  size_t have = len - head_len;
  if (have > sizeof body - 1) have = sizeof body - 1;
  memcpy(body, req + head_len, have);
  while ((long)have < body_len && have < sizeof body - 1) {
    ssize_t n = read(fd, body + have, sizeof body - 1 - have);
    if (n <= 0) break;
    have += (size_t)n;
  }
  body[have] = 0;

  if (strcmp(method, "PUT") == 0 && strcmp(target, "/egress") == 0) {
    for (size_t i = 0; i < have; i++)
      if (body[i] == '\n' || body[i] == '\r') body[i] = ' ';
    const char *p = strstr(body, "\"port\":");
    if (p) *egress_port = atoi(p + 7);
    printf("egress-sidecar: PUT /egress %s\n", body);
    fflush(stdout);
    answer(fd, "200 OK", "{}");
  } else if (strcmp(method, "GET") == 0 && strcmp(target, "/ca") == 0) {
    answer(fd, "200 OK", PLACEHOLDER_CA);
  } else {
    answer(fd, "404 Not Found", "not found\n");
  }
}

/* A connection from the container to the egress entry: relay it to workerd's egress listener. */
static void relay_egress(int fd) {
  char gateway[64], target[96];
  int port = *egress_port;
  if (port <= 0 || default_gateway(gateway, sizeof gateway) != 0) {
    answer(fd, "503 Service Unavailable", "egress-sidecar: no egress listener configured yet\n");
    return;
  }
  snprintf(target, sizeof target, "%s:%d", gateway, port);
  int upstream = connect_target(target);
  printf("egress-sidecar: egress connection -> %s %s\n", target, upstream < 0 ? "failed" : "relayed");
  fflush(stdout);
  if (upstream < 0) {
    answer(fd, "502 Bad Gateway", "egress-sidecar: workerd's egress listener did not answer\n");
    return;
  }
  tunnel(fd, upstream);
  close(upstream);
}

static int listen_on(in_addr_t addr, int port) {
  int l = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in sa = {0};
  sa.sin_family = AF_INET;
  sa.sin_port = htons((unsigned short)port);
  sa.sin_addr.s_addr = addr;
  if (bind(l, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(l, 128) != 0) return -1;
  return l;
}

static void on_term(int sig) {
  (void)sig;
  _exit(0);
}

int main(int argc, char **argv) {
  const char *ingress = "0.0.0.0:39001";
  for (int i = 1; i + 1 < argc; i++)
    if (strcmp(argv[i], "--http-ingress-address") == 0) ingress = argv[i + 1];
  const char *colon = strrchr(ingress, ':');
  int port = colon ? atoi(colon + 1) : 39001;

  signal(SIGCHLD, SIG_IGN); /* children reap themselves */
  signal(SIGPIPE, SIG_IGN);
  signal(SIGTERM, on_term); /* PID 1 in its container: exit on `docker stop` */
  egress_port = mmap(NULL, sizeof *egress_port, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (egress_port == MAP_FAILED) return 1;
  *egress_port = 0;
  int ingress_fd = listen_on(htonl(INADDR_ANY), port);
  int egress_fd = listen_on(htonl(INADDR_LOOPBACK), EGRESS_ENTRY_PORT);
  if (ingress_fd < 0 || egress_fd < 0) {
    perror("egress-sidecar: listen");
    return 1;
  }
  printf("egress-sidecar: ingress on 0.0.0.0:%d, egress entry on 127.0.0.1:%d\n", port, EGRESS_ENTRY_PORT);
  fflush(stdout);
  struct pollfd fds[2] = {{ingress_fd, POLLIN, 0}, {egress_fd, POLLIN, 0}};
  for (;;) {
    if (poll(fds, 2, -1) < 0) continue;
    for (int i = 0; i < 2; i++) {
      if (!(fds[i].revents & POLLIN)) continue;
      int fd = accept(fds[i].fd, NULL, NULL);
      if (fd < 0) continue;
      pid_t pid = fork();
      if (pid == 0) {
        close(ingress_fd);
        close(egress_fd);
        if (i == 0) handle(fd);
        else relay_egress(fd);
        _exit(0);
      }
      close(fd);
    }
  }
}
