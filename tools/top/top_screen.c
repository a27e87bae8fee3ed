// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The ncurses screen of nsctl top. It renders snapshots and reads keys; the
 * terminal is restored on every way out, signals included, because a
 * terminal left in raw mode during an incident is its own incident.
 */
#include <errno.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <curses.h>

#include "cli.h"
#include "../inspect/report.h"
#include "text.h"
#include "top.h"
#include "top_screen.h"

enum { PAIR_HEADER = 1, PAIR_TITLES, PAIR_SELECTED };

#define FIRST_ROW 4	/* header, rates, message, titles */
#define KEY_ESC 27

struct screen {
	struct top_screen_opts *o;
	struct top_collector *c;
	struct top_snapshot snap;
	size_t *shown;		/* indices of rows passing the filter */
	size_t nshown;
	size_t selected, scroll;
	char message[1024];
	char enter_cmd[256];	/* printed again after the screen closes */
	bool colors;
	bool editing;		/* typing a filter */
};

static int sort_index(const struct screen *s, const int *cols, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (cols[i] == s->o->sort_col)
			return (int)i;
	return -1;
}

static void apply_filter(struct screen *s)
{
	free(s->shown);
	s->shown = calloc(s->snap.nrows + 1, sizeof(*s->shown));
	s->nshown = 0;
	for (size_t i = 0; s->shown && i < s->snap.nrows; i++)
		if (top_row_matches(&s->snap.rows[i], s->o->filter))
			s->shown[s->nshown++] = i;
	if (s->selected >= s->nshown)
		s->selected = s->nshown ? s->nshown - 1 : 0;
}

static void resort(struct screen *s)
{
	top_sort(&s->snap, s->o->sort_col, s->o->reverse, s->o->tree);
	apply_filter(s);
}

static int refresh_data(struct screen *s)
{
	struct top_snapshot next;
	int r = top_collect(s->c, s->o->view, top_view_visible(s->o->view), &next);

	if (r < 0)
		return r;
	top_snapshot_free(&s->snap);
	s->snap = next;
	resort(s);
	return 0;
}

static void style_on(const struct screen *s, int pair, attr_t fallback)
{
	if (s->colors)
		attron(COLOR_PAIR(pair));
	else
		attron(fallback);
}

static void style_off(const struct screen *s, int pair, attr_t fallback)
{
	if (s->colors)
		attroff(COLOR_PAIR(pair));
	else
		attroff(fallback);
}

/* Every cell and message goes through the presentation layer: names are the container's to choose. */
static int draw_cell(struct text_buf *b, int x, int col, const char *text, bool last)
{
	int w = top_columns[col].width, aw = abs(w);

	if (last && w < 0) {
		text_escaped(b, text, 0);
		text_cut(b->p, COLS > x ? (size_t)(COLS - x) : 0);
		addstr(b->p);
	} else {
		addstr(text_fit(b, text, (size_t)aw, w > 0));
		addch(' ');
	}
	return x + aw + 1;
}

static void draw_text(int y, const char *text)
{
	struct text_buf b = { 0 };

	text_escaped(&b, text, 0);
	text_cut(b.p, (size_t)COLS);
	mvaddstr(y, 0, b.p);
	text_buf_free(&b);
}

static void draw_titles(const struct screen *s, const int *cols, size_t n)
{
	int x = 0, sorted = sort_index(s, cols, n);
	struct text_buf b = { 0 };

	move(FIRST_ROW - 1, 0);
	style_on(s, PAIR_TITLES, A_REVERSE);
	for (size_t i = 0; i < n; i++) {
		if ((int)i == sorted)
			attron(A_BOLD | A_UNDERLINE);
		x = draw_cell(&b, x, cols[i], top_columns[cols[i]].name, i + 1 == n);
		if ((int)i == sorted)
			attroff(A_BOLD | A_UNDERLINE);
	}
	for (int rest = getcurx(stdscr); rest > 0 && rest < COLS; rest++)
		addch(' ');
	style_off(s, PAIR_TITLES, A_REVERSE);
	text_buf_free(&b);
}

static void draw_row(const struct screen *s, int y, const struct top_row *r, const int *cols, size_t n,
		     bool selected)
{
	bool tree = s->o->tree && s->snap.view == VIEW_CGROUPS;
	struct text_buf b = { 0 };
	char buf[512];
	int x = 0;

	move(y, 0);
	if (selected)
		style_on(s, PAIR_SELECTED, A_REVERSE);
	for (size_t i = 0; i < n && x < COLS; i++)
		x = draw_cell(&b, x, cols[i], top_cell_text(r, cols[i], tree, buf, sizeof(buf)), i + 1 == n);
	if (selected) {
		for (int rest = getcurx(stdscr); rest > 0 && rest < COLS; rest++)
			addch(' ');
		style_off(s, PAIR_SELECTED, A_REVERSE);
	}
	text_buf_free(&b);
}

static size_t page_rows(void)
{
	return LINES > FIRST_ROW + 1 ? (size_t)(LINES - FIRST_ROW - 1) : 1;
}

static void draw(struct screen *s)
{
	const int *cols;
	size_t n = top_view_columns(s->snap.view, &cols), page = page_rows();
	char l1[512], l2[512];

	erase();
	top_header_lines(&s->snap, l1, l2, sizeof(l1));
	style_on(s, PAIR_HEADER, A_BOLD);
	draw_text(0, l1);
	style_off(s, PAIR_HEADER, A_BOLD);
	draw_text(1, l2);
	if (s->editing)
		mvprintw(2, 0, "filter: %s", s->o->filter);
	else if (s->message[0])
		draw_text(2, s->message);
	else if (s->o->filter[0])
		mvprintw(2, 0, "filter: %s  (Esc clears)", s->o->filter);
	draw_titles(s, cols, n);
	if (s->selected < s->scroll)
		s->scroll = s->selected;
	if (s->selected >= s->scroll + page)
		s->scroll = s->selected - page + 1;
	for (size_t i = s->scroll; i < s->nshown && i < s->scroll + page; i++)
		draw_row(s, FIRST_ROW + (int)(i - s->scroll), &s->snap.rows[s->shown[i]], cols, n, i == s->selected);
	attron(A_REVERSE);
	mvaddnstr(LINES - 1, 0,
		  "q quit  v view  </> sort  r reverse  / filter  t tree  Enter inspect  e enter command  arrows select", COLS);
	for (int rest = getcurx(stdscr); rest > 0 && rest < COLS; rest++)
		addch(' ');
	attroff(A_REVERSE);
	if (s->editing)
		move(2, 8 + (int)strlen(s->o->filter));
	refresh();
}

static const struct top_row *selected_row(const struct screen *s)
{
	return s->nshown ? &s->snap.rows[s->shown[s->selected]] : NULL;
}

static void move_sort(struct screen *s, int step)
{
	const int *cols;
	size_t n = top_view_columns(s->snap.view, &cols);
	int i = sort_index(s, cols, n);

	i = i < 0 ? 0 : (i + step + (int)n) % (int)n;
	s->o->sort_col = cols[i];
	resort(s);
}

/* The inspect report of a row, in a pager; any of q, Esc or Enter returns. */
static void show_inspect(struct screen *s, const struct top_row *r)
{
	struct report rep = { 0 };
	struct insp_error err = { 0 };
	struct text_buf title = { 0 };
	char *text = NULL;
	size_t len = 0, top = 0;
	FILE *f;

	if (!r->target) {
		snprintf(s->message, sizeof(s->message), "nothing to inspect: no process");
		return;
	}
	if (insp_target_resolve(r->target, NULL, &rep.target, &err) < 0 || report_collect(&rep, &err) < 0) {
		snprintf(s->message, sizeof(s->message), "inspect %.100s: %s", r->target, err.msg);
		report_free(&rep);
		return;
	}
	f = open_memstream(&text, &len);
	if (f) {
		report_print_text(&rep, f);
		fclose(f);
	}
	report_free(&rep);
	for (int key = 0; text && !cli_stop_signal && key != 'q' && key != KEY_ESC && key != '\n';) {
		const char *p = text;
		size_t line = 0;

		erase();
		for (int y = 0; *p && y < LINES - 1; line++) {
			size_t l = strcspn(p, "\n");

			if (line >= top) {
				/* The report is escaped already; cut it by columns, not bytes. */
				char *shown = strndup(p, l);

				if (shown) {
					text_cut(shown, (size_t)COLS);
					mvaddstr(y++, 0, shown);
					free(shown);
				}
			}
			p += l + (p[l] == '\n');
		}
		attron(A_REVERSE);
		draw_text(LINES - 1, text_format(&title, "nsctl inspect %s  (arrows scroll, q back)", r->target));
		attroff(A_REVERSE);
		refresh();
		key = getch();
		if (key == KEY_DOWN || key == 'j')
			top++;
		else if ((key == KEY_UP || key == 'k') && top)
			top--;
		else if (key == KEY_NPAGE)
			top += page_rows();
		else if (key == KEY_PPAGE)
			top = top > page_rows() ? top - page_rows() : 0;
	}
	text_buf_free(&title);
	free(text);
}

static void edit_filter(struct screen *s, int key)
{
	size_t len = strlen(s->o->filter);

	if (key == '\n' || key == KEY_ENTER) {
		s->editing = false;
	} else if (key == KEY_ESC) {
		s->editing = false;
		s->o->filter[0] = '\0';
	} else if ((key == KEY_BACKSPACE || key == 127 || key == 8) && len) {
		s->o->filter[len - 1] = '\0';
	} else if (key >= ' ' && key < 127 && len + 1 < sizeof(s->o->filter)) {
		s->o->filter[len] = (char)key;
		s->o->filter[len + 1] = '\0';
	}
	apply_filter(s);
}

static void select_step(struct screen *s, long step)
{
	long next = (long)s->selected + step;

	if (next < 0 || !s->nshown)
		next = 0;
	else if ((size_t)next >= s->nshown)
		next = (long)s->nshown - 1;
	s->selected = (size_t)next;
}

static void switch_view(struct screen *s, enum top_view v)
{
	const int *cols;

	s->o->view = v;
	s->selected = s->scroll = 0;
	top_view_columns(v, &cols);
	if (!(top_view_visible(v) & (1ULL << s->o->sort_col)))
		s->o->sort_col = cols[0] == TC_NAME && v != VIEW_NAMESPACES ? TC_CPU : TC_PROCS;
	refresh_data(s);
}

static void click(struct screen *s)
{
	MEVENT ev;
	const int *cols;
	size_t n = top_view_columns(s->snap.view, &cols);

	if (getmouse(&ev) != OK)
		return;
	if (ev.y == FIRST_ROW - 1) {
		for (size_t i = 0, x = 0; i < n; x += (size_t)abs(top_columns[cols[i]].width) + 1, i++)
			if ((size_t)ev.x >= x && (i + 1 == n || (size_t)ev.x < x + (size_t)abs(top_columns[cols[i]].width) + 1)) {
				s->o->sort_col = cols[i];
				resort(s);
				return;
			}
	} else if (ev.y >= FIRST_ROW && s->scroll + (size_t)(ev.y - FIRST_ROW) < s->nshown) {
		s->selected = s->scroll + (size_t)(ev.y - FIRST_ROW);
	}
}

/* Returns false to quit. */
static bool handle_key(struct screen *s, int key)
{
	const struct top_row *r = selected_row(s);

	if (s->editing) {
		edit_filter(s, key);
		return true;
	}
	s->message[0] = '\0';
	switch (key) {
	case 'q': case 'Q': case KEY_F(10): return false;
	case KEY_UP: case 'k': select_step(s, -1); break;
	case KEY_DOWN: case 'j': select_step(s, 1); break;
	case KEY_PPAGE: select_step(s, -(long)page_rows()); break;
	case KEY_NPAGE: case ' ': select_step(s, (long)page_rows()); break;
	case KEY_HOME: case 'g': s->selected = 0; break;
	case KEY_END: case 'G': select_step(s, (long)s->nshown); break;
	case '<': move_sort(s, -1); break;
	case '>': move_sort(s, 1); break;
	case 'r': case 'I': s->o->reverse = !s->o->reverse; resort(s); break;
	case 'P': s->o->sort_col = TC_CPU; resort(s); break;
	case 'M': s->o->sort_col = TC_MEM; resort(s); break;
	case 'N': s->o->sort_col = TC_NEWNS; resort(s); break;
	case 't': s->o->tree = !s->o->tree; refresh_data(s); break;
	case 'v': case '\t': switch_view(s, (s->o->view + 1) % NVIEWS); break;
	case 'c': switch_view(s, VIEW_CONTAINERS); break;
	case 'C': switch_view(s, VIEW_CGROUPS); break;
	case 'n': switch_view(s, VIEW_NAMESPACES); break;
	case '/': s->editing = true; s->o->filter[0] = '\0'; apply_filter(s); break;
	case KEY_ESC: s->o->filter[0] = '\0'; apply_filter(s); break;
	case '\n': case KEY_ENTER: if (r) show_inspect(s, r); break;
	case 'e':
		if (r && r->target) {
			snprintf(s->enter_cmd, sizeof(s->enter_cmd), "nsctl enter %s", r->target);
			snprintf(s->message, sizeof(s->message), "%s", s->enter_cmd);
		}
		break;
	case KEY_MOUSE: click(s); break;
	case KEY_RESIZE: break;
	default: break;
	}
	return true;
}

static void start_curses(struct screen *s)
{
	initscr();
	cbreak();
	noecho();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED, NULL);
	s->colors = has_colors() && !getenv("NO_COLOR");
	if (s->colors) {
		start_color();
		use_default_colors();
		init_pair(PAIR_HEADER, COLOR_CYAN, -1);
		init_pair(PAIR_TITLES, COLOR_BLACK, COLOR_GREEN);
		init_pair(PAIR_SELECTED, COLOR_BLACK, COLOR_CYAN);
	}
	/* After initscr, so that ours replace the ones ncurses installs. */
	cli_catch_stop_signals();
}

/* Keys and eBPF events until the next refresh is due. Returns false to quit. */
static bool wait_for_refresh(struct screen *s, double due)
{
	struct pollfd fds[2] = { { .fd = STDIN_FILENO, .events = POLLIN },
				 { .fd = top_collector_events_fd(s->c), .events = POLLIN } };

	while (!cli_stop_signal) {
		double left = due - cli_monotonic();
		int key;

		if (left <= 0)
			return true;
		if (poll(fds, 2, top_collector_events_timeout(s->c, (int)(left * 1000) + 1)) < 0 && errno != EINTR)
			return false;
		top_collector_drain(s->c);
		if (!(fds[0].revents & (POLLIN | POLLHUP)))
			continue;
		if (fds[0].revents & POLLHUP)
			return false;
		while ((key = getch()) != ERR)
			if (!handle_key(s, key))
				return false;
		draw(s);
	}
	return false;
}

int top_screen_run(struct top_collector *c, struct top_screen_opts *o)
{
	struct screen s = { .o = o, .c = c };
	int r = 0;

	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		errno = ENOTTY;
		return -ENOTTY;
	}
	/* A first sample, so the first screen already has rates. */
	top_collect(c, o->view, top_view_visible(o->view), &s.snap);
	top_snapshot_free(&s.snap);
	start_curses(&s);
	for (unsigned long i = 0; !cli_stop_signal && (!o->iterations || i < o->iterations); i++) {
		double due = cli_monotonic() + o->delay;

		if (wait_for_refresh(&s, i ? due : cli_monotonic() + (o->delay < 0.2 ? o->delay : 0.2)) == false)
			break;
		if ((r = refresh_data(&s)) < 0)
			break;
		draw(&s);
	}
	endwin();
	if (s.enter_cmd[0])
		text_line(stdout, "%s", s.enter_cmd);
	top_snapshot_free(&s.snap);
	free(s.shown);
	return r;
}
