/*
 * The echo container: a small HTTP server on port 8080, built as a static binary so the image can
 * be `FROM scratch` and builds without a registry (`./build.sh` compiles it; the Dockerfile only
 * copies it).
 *
 *   GET /            "echo: hello from <instance>" (the instance is ECHO_INSTANCE, set by start())
 *   GET /<anything>  "echo: <path>"
 * Every answer carries Content-Length. SIGTERM (sent when the instance is stopped or goes to
 * sleep) makes it exit 0 after saying so on stdout.
 */
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static void on_term(int sig) {
  (void)sig;
  static const char msg[] = "echo: SIGTERM, exiting\n";
  write(1, msg, sizeof msg - 1);
  _exit(0);
}

static void answer(int fd, const char *body) {
  char head[160];
  int n = snprintf(head, sizeof head,
                   "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: %zu\r\nConnection: close\r\n\r\n",
                   strlen(body));
  write(fd, head, (size_t)n);
  write(fd, body, strlen(body));
}

int main(void) {
  signal(SIGTERM, on_term);
  signal(SIGPIPE, SIG_IGN);
  const char *instance = getenv("ECHO_INSTANCE");
  int listener = socket(AF_INET, SOCK_STREAM, 0);
  int one = 1;
  setsockopt(listener, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  struct sockaddr_in addr = {.sin_family = AF_INET, .sin_port = htons(8080), .sin_addr.s_addr = htonl(INADDR_ANY)};
  if (bind(listener, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(listener, 64) != 0) {
    perror("echo: listen on 8080");
    return 1;
  }
  printf("echo: listening on 8080\n");
  fflush(stdout);
  for (;;) {
    int fd = accept(listener, NULL, NULL);
    if (fd < 0) continue;
    char request[4096] = {0};
    ssize_t got = read(fd, request, sizeof request - 1);
    char method[8] = {0}, path[1024] = {0};
    if (got > 0 && sscanf(request, "%7s %1023s", method, path) == 2) {
      char body[1200];
      if (strcmp(path, "/") == 0) snprintf(body, sizeof body, "echo: hello from %s\n", instance ? instance : "an implicit start");
      else snprintf(body, sizeof body, "echo: %s\n", path);
      answer(fd, body);
    }
    close(fd);
  }
}
