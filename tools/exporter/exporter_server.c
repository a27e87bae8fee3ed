// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * HTTP for the exporter, with libevent's evhttp: one event loop for every
 * connection, so idle or slow clients cost a socket and a few kilobytes,
 * never a thread, and the loop never waits for a collection: that runs in
 * a thread of its own. Scrapes that arrive while a collection runs wait for
 * it and share its snapshot (single flight). A collection that overruns its
 * deadline by a second is answered without: self-metrics and the error
 * gauge, so a scraper is never kept waiting for the host.
 *
 * libevent rather than libmicrohttpd: Debian builds libmicrohttpd with
 * GnuTLS, whose static archive needs p11-kit's, which Debian does not ship,
 * so it cannot go into the static nsctl; evhttp needs nothing beyond libevent.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>
#include <zlib.h>

#include <event2/buffer.h>
#include <event2/bufferevent.h>
#include <event2/event.h>
#include <event2/http.h>
#include <event2/keyvalq_struct.h>
#include <event2/listener.h>

#include "cli.h"
#include "exporter.h"
#include "xalloc.h"

#define MAX_HEADERS_BYTES 8192
#define IDLE_TIMEOUT_SECONDS 10
#define LATE_SECONDS 1.0

struct waiter {
	struct evhttp_request *req;
	struct server *srv;
	enum expo_format format;
	bool gzip, gone;
	struct waiter *next;
};

struct server {
	const struct exporter_opts *o;
	struct exp_collector *collector;
	struct exporter_errors *errors;
	struct event_base *base;
	struct evhttp *http;
	struct evconnlistener *listener;
	struct event *done_ev, *late_ev, *resume_ev, *sig_ev[2];
	int done_fd;
	/* Shared with the collector thread, under lock. */
	pthread_t thread;
	bool thread_started;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool want, stop;
	double want_deadline;
	struct exp_snapshot result;
	/* The loop's own. */
	struct waiter *waiting;
	bool in_flight, late;
};

const char *const exporter_error_names[EXP_NERRORS] = {
	[EXP_ERR_SCAN] = "scan",
	[EXP_ERR_CGROUPS] = "cgroups",
	[EXP_ERR_DEADLINE] = "deadline",
	[EXP_ERR_PROCESS] = "process",
	[EXP_ERR_NOT_FOUND] = "not_found",
	[EXP_ERR_METHOD] = "method",
	[EXP_ERR_BAD_REQUEST] = "bad_request",
	[EXP_ERR_CLIENT_GONE] = "client_gone",
	[EXP_ERR_LATE] = "late",
	[EXP_ERR_ACCEPT] = "accept",
};

void exporter_fault(struct exporter_errors *e, enum exporter_error kind, const char *fmt, ...)
{
	va_list ap;
	char *msg;

	if (atomic_fetch_add(&e->n[kind], 1) != 0)
		return;
	va_start(ap, fmt);
	if (vasprintf(&msg, fmt, ap) < 0)
		msg = NULL;
	va_end(ap);
	cli_error("exporter", "%s (the first %s fault; all are counted in nsctl_exporter_errors_total)",
		  msg ? msg : "?", exporter_error_names[kind]);
	free(msg);
}

/* ---- the collector thread */

static void *collector_main(void *arg)
{
	struct server *s = arg;
	struct exp_snapshot snap;
	double deadline;

	for (;;) {
		pthread_mutex_lock(&s->lock);
		while (!s->want && !s->stop)
			pthread_cond_wait(&s->cond, &s->lock);
		if (s->stop) {
			pthread_mutex_unlock(&s->lock);
			return NULL;
		}
		s->want = false;
		deadline = s->want_deadline;
		pthread_mutex_unlock(&s->lock);
		exp_collect(s->collector, deadline, &snap);
		pthread_mutex_lock(&s->lock);
		exp_snapshot_free(&s->result);
		s->result = snap;
		pthread_mutex_unlock(&s->lock);
		if (eventfd_write(s->done_fd, 1) < 0)
			cli_error("exporter", "waking the server: %s", strerror(errno));
	}
}

/* ---- answers */

static bool gzip_buffer(const char *in, size_t len, struct evbuffer *out)
{
	z_stream z = { 0 };
	unsigned char chunk[16384];
	int r;

	/*
	 * 15 + 16: a gzip header and trailer around deflate. Level 1: the
	 * exposition repeats itself so much that it already shrinks ~10x,
	 * at a third of the default level's cost.
	 */
	if (deflateInit2(&z, Z_BEST_SPEED, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return false;
	z.next_in = (unsigned char *)(uintptr_t)in;
	z.avail_in = (uInt)len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		r = deflate(&z, Z_FINISH);
		evbuffer_add(out, chunk, sizeof(chunk) - z.avail_out);
	} while (r == Z_OK);
	deflateEnd(&z);
	return r == Z_STREAM_END;
}

static void on_close(struct evhttp_connection *evcon, void *arg)
{
	struct waiter *w = arg;

	(void)evcon;
	w->gone = true;
}

static void answer(struct server *s, struct waiter *w, const struct exp_snapshot *snap, struct expo *cache)
{
	struct evhttp_connection *evcon = evhttp_request_get_connection(w->req);
	struct evkeyvalq *h = evhttp_request_get_output_headers(w->req);
	struct evbuffer *body = evbuffer_new();
	struct expo *e = &cache[w->format];

	if (evcon)
		evhttp_connection_set_closecb(evcon, NULL, NULL);
	if (w->gone || !evcon) {
		exporter_fault(s->errors, EXP_ERR_CLIENT_GONE, "a scraper left before its answer");
		/* A request whose connection is gone is freed by replying to it. */
		evhttp_send_reply(w->req, 200, "OK", NULL);
		evbuffer_free(body);
		return;
	}
	/* One rendering per format for all who waited. */
	if (!e->b.p)
		exp_render(snap, s->errors, w->format, e);
	evhttp_add_header(h, "Content-Type", expo_content_type(w->format));
	evhttp_add_header(h, "Vary", "Accept, Accept-Encoding");
	if (w->gzip && gzip_buffer(e->b.p, e->b.len, body))
		evhttp_add_header(h, "Content-Encoding", "gzip");
	else {
		evbuffer_drain(body, evbuffer_get_length(body));
		evbuffer_add(body, e->b.p, e->b.len);
	}
	evhttp_send_reply(w->req, 200, "OK", body);
	evbuffer_free(body);
}

static void answer_all(struct server *s, const struct exp_snapshot *snap)
{
	struct expo cache[2] = { 0 };
	struct waiter *w = s->waiting;

	s->waiting = NULL;
	while (w) {
		struct waiter *next = w->next;

		answer(s, w, snap, cache);
		free(w);
		w = next;
	}
	text_buf_free(&cache[0].b);
	text_buf_free(&cache[1].b);
}

static void on_done(evutil_socket_t fd, short what, void *arg)
{
	struct server *s = arg;
	struct exp_snapshot snap;
	eventfd_t n;

	(void)what;
	if (eventfd_read(fd, &n) < 0)
		return;
	pthread_mutex_lock(&s->lock);
	snap = s->result;
	memset(&s->result, 0, sizeof(s->result));
	pthread_mutex_unlock(&s->lock);
	event_del(s->late_ev);
	s->in_flight = s->late = false;
	answer_all(s, &snap);
	exp_snapshot_free(&snap);
}

/* Answered without the collection: what the exporter knows of itself, marked partial. */
static void on_late(evutil_socket_t fd, short what, void *arg)
{
	struct server *s = arg;
	struct exp_snapshot none = { .failed = true };

	(void)fd;
	(void)what;
	exporter_fault(s->errors, EXP_ERR_LATE, "a collection overran its deadline; scrapes are answered without it");
	s->late = true;
	answer_all(s, &none);
}

/* ---- requests */

static bool header_has(struct evhttp_request *req, const char *header, const char *token)
{
	const char *v = evhttp_find_header(evhttp_request_get_input_headers(req), header);
	const char *at = v ? strcasestr(v, token) : NULL;

	/* "token;q=0" refuses it. */
	return at && strncmp(at + strlen(token), ";q=0", 4) != 0;
}

/* Prometheus says how long it waits; the collection stops a little before. */
static double deadline_for(const struct server *s, struct evhttp_request *req)
{
	const char *v = evhttp_find_header(evhttp_request_get_input_headers(req), "X-Prometheus-Scrape-Timeout-Seconds");
	double seconds = s->o->deadline, asked = v ? strtod(v, NULL) : 0;

	if (asked > 0 && asked * 0.8 < seconds)
		seconds = asked * 0.8;
	return cli_monotonic() + seconds;
}

static void on_metrics(struct evhttp_request *req, void *arg)
{
	struct server *s = arg;
	struct waiter *w = xcalloc(1, sizeof(*w));
	struct timeval late;
	double deadline;

	w->req = req;
	w->srv = s;
	w->format = header_has(req, "Accept", "application/openmetrics-text") ? EXPO_OPENMETRICS : EXPO_TEXT;
	w->gzip = header_has(req, "Accept-Encoding", "gzip");
	evhttp_connection_set_closecb(evhttp_request_get_connection(req), on_close, w);
	w->next = s->waiting;
	s->waiting = w;
	if (s->late) {
		on_late(-1, 0, s);
		return;
	}
	if (s->in_flight)
		return;
	deadline = deadline_for(s, req);
	pthread_mutex_lock(&s->lock);
	s->want = true;
	s->want_deadline = deadline;
	pthread_cond_signal(&s->cond);
	pthread_mutex_unlock(&s->lock);
	s->in_flight = true;
	late.tv_sec = (time_t)(deadline - cli_monotonic() + LATE_SECONDS);
	late.tv_usec = 0;
	event_add(s->late_ev, &late);
}

static void on_healthz(struct evhttp_request *req, void *arg)
{
	struct evbuffer *body = evbuffer_new();

	(void)arg;
	evhttp_add_header(evhttp_request_get_output_headers(req), "Content-Type", "text/plain; charset=utf-8");
	evbuffer_add_printf(body, "ok\n");
	evhttp_send_reply(req, 200, "OK", body);
	evbuffer_free(body);
}

static void on_other(struct evhttp_request *req, void *arg)
{
	(void)arg;
	evhttp_send_error(req, 404, "Not Found: /metrics and /healthz are served");
}

/*
 * The library answers malformed and oversized requests itself; what it
 * answers shows in the status line of each response, counted here.
 */
static void on_output(struct evbuffer *buf, const struct evbuffer_cb_info *info, void *arg)
{
	static const struct {
		const char *status;
		enum exporter_error kind;
	} faults[] = {
		{ " 400 ", EXP_ERR_BAD_REQUEST },
		{ " 404 ", EXP_ERR_NOT_FOUND },
		{ " 405 ", EXP_ERR_METHOD },
		{ " 413 ", EXP_ERR_BAD_REQUEST },
		{ " 501 ", EXP_ERR_METHOD },
	};
	struct server *s = arg;
	char line[14] = { 0 };

	if (info->orig_size || info->n_added < sizeof(line) - 1)
		return;
	evbuffer_copyout(buf, line, sizeof(line) - 1);
	for (size_t i = 0; i < ARRAY_LEN(faults); i++)
		if (strncmp(line, "HTTP/1.", 7) == 0 && memcmp(line + 8, faults[i].status, 5) == 0)
			exporter_fault(s->errors, faults[i].kind, "answered%.4s to a client", line + 8);
}

static struct bufferevent *new_connection(struct event_base *base, void *arg)
{
	struct bufferevent *bev = bufferevent_socket_new(base, -1, BEV_OPT_CLOSE_ON_FREE);

	if (bev)
		evbuffer_add_cb(bufferevent_get_output(bev), on_output, arg);
	return bev;
}

/* Out of file descriptors: stop accepting for a second instead of spinning on accept(2). */
static void on_accept_error(struct evconnlistener *l, void *arg)
{
	struct server *s = arg;
	struct timeval second = { 1, 0 };

	exporter_fault(s->errors, EXP_ERR_ACCEPT, "accept: %s", strerror(errno));
	evconnlistener_disable(l);
	event_add(s->resume_ev, &second);
}

static void on_resume(evutil_socket_t fd, short what, void *arg)
{
	(void)fd;
	(void)what;
	evconnlistener_enable(((struct server *)arg)->listener);
}

static void on_signal(evutil_socket_t sig, short what, void *arg)
{
	(void)sig;
	(void)what;
	event_base_loopbreak(((struct server *)arg)->base);
}

/* ---- listening */

/* A listening socket on addr, or -1 with the error named after what --listen said. */
static int listener_on(const struct sockaddr *addr, socklen_t len, const char *given)
{
	int fd, one = 1;

	if ((fd = socket(addr->sa_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0)) < 0 ||
	    (addr->sa_family != AF_UNIX && setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0) ||
	    bind(fd, addr, len) < 0 || listen(fd, 128) < 0) {
		cli_error("exporter", "--listen %s: %s", given, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

/* given: "unix:PATH" */
static int listen_unix(const char *given)
{
	const char *path = given + strlen("unix:");
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct stat st;

	if (strlen(path) >= sizeof(sun.sun_path)) {
		cli_error("exporter", "--listen %s: path too long", given);
		return -1;
	}
	strcpy(sun.sun_path, path);
	/* A socket left by an earlier run is ours to replace; anything else is not. */
	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode))
		unlink(path);
	return listener_on((struct sockaddr *)&sun, sizeof(sun), given);
}

static int listen_tcp(const char *given)
{
	const char *spec = given;
	struct sockaddr_storage ss = { 0 };
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	const char *colon = strrchr(spec, ':');
	char host[64];
	unsigned long port;
	size_t hlen;

	if (!colon || cli_parse_uint("exporter", "--listen port", colon + 1, 65535, &port) != 0)
		return -2;
	hlen = (size_t)(colon - spec);
	if (hlen >= 2 && spec[0] == '[' && spec[hlen - 1] == ']')
		spec++, hlen -= 2;
	if (hlen >= sizeof(host))
		return -2;
	memcpy(host, spec, hlen);
	host[hlen] = '\0';
	if (inet_pton(AF_INET, host, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)port);
	} else if (inet_pton(AF_INET6, host, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
	} else {
		return -2;
	}
	return listener_on((struct sockaddr *)&ss, ss.ss_family == AF_INET ? sizeof(*in4) : sizeof(*in6), given);
}

static int listen_on(const char *spec)
{
	int fd = strncmp(spec, "unix:", 5) == 0 ? listen_unix(spec) : listen_tcp(spec);

	if (fd == -2)
		cli_usage_error("exporter", "--listen '%s': want ADDR:PORT, [ADDR6]:PORT or unix:PATH", spec);
	return fd;
}

/* ---- the server */

static int setup(struct server *s, int fd)
{
	static const int sigs[2] = { SIGTERM, SIGINT };

	if (!(s->base = event_base_new()) || !(s->http = evhttp_new(s->base)))
		return -1;
	s->listener = evconnlistener_new(s->base, NULL, NULL, LEV_OPT_CLOSE_ON_FREE | LEV_OPT_CLOSE_ON_EXEC, 0, fd);
	if (!s->listener || !evhttp_bind_listener(s->http, s->listener))
		return -1;
	evconnlistener_set_error_cb(s->listener, on_accept_error);
	evhttp_set_max_headers_size(s->http, MAX_HEADERS_BYTES);
	evhttp_set_max_body_size(s->http, 4096);
	evhttp_set_timeout(s->http, IDLE_TIMEOUT_SECONDS);
	evhttp_set_allowed_methods(s->http, EVHTTP_REQ_GET | EVHTTP_REQ_HEAD);
	evhttp_set_bevcb(s->http, new_connection, s);
	evhttp_set_cb(s->http, "/metrics", on_metrics, s);
	evhttp_set_cb(s->http, "/healthz", on_healthz, s);
	evhttp_set_gencb(s->http, on_other, s);
	if ((s->done_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK)) < 0 ||
	    !(s->done_ev = event_new(s->base, s->done_fd, EV_READ | EV_PERSIST, on_done, s)) ||
	    event_add(s->done_ev, NULL) < 0 || !(s->late_ev = evtimer_new(s->base, on_late, s)) ||
	    !(s->resume_ev = evtimer_new(s->base, on_resume, s)))
		return -1;
	for (int i = 0; i < 2; i++)
		if (!(s->sig_ev[i] = evsignal_new(s->base, sigs[i], on_signal, s)) || event_add(s->sig_ev[i], NULL) < 0)
			return -1;
	if (pthread_create(&s->thread, NULL, collector_main, s) != 0)
		return -1;
	s->thread_started = true;
	return 0;
}

static void teardown(struct server *s)
{
	if (s->thread_started) {
		pthread_mutex_lock(&s->lock);
		s->stop = true;
		pthread_cond_signal(&s->cond);
		pthread_mutex_unlock(&s->lock);
		pthread_join(s->thread, NULL);
	}
	exp_snapshot_free(&s->result);
	for (int i = 0; i < 2; i++)
		if (s->sig_ev[i])
			event_free(s->sig_ev[i]);
	if (s->done_ev)
		event_free(s->done_ev);
	if (s->late_ev)
		event_free(s->late_ev);
	if (s->resume_ev)
		event_free(s->resume_ev);
	if (s->done_fd > 0)
		close(s->done_fd);
	if (s->http)
		evhttp_free(s->http);
	if (s->base)
		event_base_free(s->base);
	while (s->waiting) {
		struct waiter *next = s->waiting->next;

		free(s->waiting);
		s->waiting = next;
	}
	pthread_mutex_destroy(&s->lock);
	pthread_cond_destroy(&s->cond);
}

int exp_serve(const struct exporter_opts *o, struct exp_collector *c, struct exporter_errors *errors)
{
	struct server s = { .o = o, .collector = c, .errors = errors, .done_fd = -1 };
	int fd = listen_on(o->listen), r = EXIT_OK;
	const char *why = exp_collector_counters_error(c);

	if (fd < 0)
		return fd == -2 ? EXIT_USAGE : EXIT_FAIL;
	pthread_mutex_init(&s.lock, NULL);
	pthread_cond_init(&s.cond, NULL);
	/* A scraper gone mid-answer must not end us. */
	signal(SIGPIPE, SIG_IGN);
	if (setup(&s, fd) < 0) {
		cli_error("exporter", "starting the HTTP server: %s", strerror(errno ? errno : ENOMEM));
		if (!s.listener)
			close(fd);
		r = EXIT_FAIL;
	} else {
		fprintf(stderr, "nsctl: exporter: serving /metrics on %s; eBPF counters: %s\n", o->listen,
			why[0] ? why : "on");
		event_base_dispatch(s.base);
	}
	teardown(&s);
	return r;
}
