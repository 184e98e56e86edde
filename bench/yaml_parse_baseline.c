/*
 * The floor istio-lint is measured against: read the same manifest files single-threaded and pull
 * every event out of libyaml (yaml_parser_parse), doing nothing with them.
 *
 *   yaml_parse_baseline DIR|FILE...
 *
 * Directories are walked recursively for .yaml/.yml/.json files, as istio-lint does. Prints the
 * file, byte and event counts and the elapsed time on stderr; exits 1 on an unreadable file and
 * 2 on a YAML syntax error (the benchmark meshes have none).
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <yaml.h>

static unsigned long long g_files, g_bytes, g_events;
static int g_status;

static int manifest_name(const char *name) {
  const char *dot = strrchr(name, '.');
  if (dot == NULL) return 0;
  return strcasecmp(dot, ".yaml") == 0 || strcasecmp(dot, ".yml") == 0 || strcasecmp(dot, ".json") == 0;
}

static char *read_all(const char *path, size_t *len) {
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return NULL;
  struct stat st;
  size_t cap = (fstat(fd, &st) == 0 && st.st_size > 0) ? (size_t)st.st_size + 1 : 4096;
  char *buf = malloc(cap);
  size_t n = 0;
  for (;;) {
    if (n == cap) {
      cap *= 2;
      buf = realloc(buf, cap);
    }
    ssize_t r = read(fd, buf + n, cap - n);
    if (r < 0) {
      free(buf);
      close(fd);
      return NULL;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  close(fd);
  *len = n;
  return buf;
}

static void parse_file(const char *path) {
  size_t len = 0;
  char *buf = read_all(path, &len);
  if (buf == NULL) {
    fprintf(stderr, "cannot read %s\n", path);
    g_status = 1;
    return;
  }
  ++g_files;
  g_bytes += len;
  yaml_parser_t parser;
  yaml_event_t ev;
  yaml_parser_initialize(&parser);
  yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
  for (;;) {
    if (!yaml_parser_parse(&parser, &ev)) {
      fprintf(stderr, "%s:%lu: %s\n", path, (unsigned long)parser.problem_mark.line + 1,
              parser.problem ? parser.problem : "syntax error");
      g_status = 2;
      break;
    }
    ++g_events;
    int end = ev.type == YAML_STREAM_END_EVENT;
    yaml_event_delete(&ev);
    if (end) break;
  }
  yaml_parser_delete(&parser);
  free(buf);
}

static int by_name(const struct dirent **a, const struct dirent **b) {
  return strcmp((*a)->d_name, (*b)->d_name);
}

static void walk(const char *path) {
  struct stat st;
  if (stat(path, &st) != 0) {
    fprintf(stderr, "cannot stat %s\n", path);
    g_status = 1;
    return;
  }
  if (!S_ISDIR(st.st_mode)) {
    parse_file(path);
    return;
  }
  struct dirent **names;
  int n = scandir(path, &names, NULL, by_name);
  if (n < 0) {
    fprintf(stderr, "cannot read directory %s\n", path);
    g_status = 1;
    return;
  }
  for (int i = 0; i < n; ++i) {
    const char *name = names[i]->d_name;
    if (strcmp(name, ".") != 0 && strcmp(name, "..") != 0) {
      char *child;
      if (asprintf(&child, "%s/%s", path, name) >= 0) {
        struct stat cst;
        if (lstat(child, &cst) == 0) {
          if (S_ISDIR(cst.st_mode)) {
            walk(child);
          } else if (S_ISREG(cst.st_mode) && manifest_name(name)) {
            parse_file(child);
          }
        }
        free(child);
      }
    }
    free(names[i]);
  }
  free(names);
}

int main(int argc, char **argv) {
  if (argc < 2) {
    fprintf(stderr, "usage: %s DIR|FILE...\n", argv[0]);
    return 64;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  for (int i = 1; i < argc; ++i) walk(argv[i]);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
  fprintf(stderr, "%llu files, %llu bytes, %llu events in %.1f ms\n", g_files, g_bytes, g_events, ms);
  return g_status;
}
