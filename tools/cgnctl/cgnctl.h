/* SPDX-License-Identifier: GPL-2.0 */
/*
 * cgnctl: arguments become a struct cgn_req (cli_parse), which main sends;
 * each object prints the replies to its requests.
 */
#ifndef CGNCTL_H
#define CGNCTL_H

#include <stdbool.h>
#include <stdio.h>

#include <netlink/msg.h>

#include "json.h"
#include "types.h"

#define CGNCTL_VERSION	"0.1"

#define EXIT_FAIL	1	/* the kernel or the system said no */
#define EXIT_USAGE	2	/* bad arguments */

struct cli;

struct object {
	const char *name;
	const char *usage;
	/* Arguments after the object name, into cli->req. */
	int (*parse)(struct cli *cli, int argc, char **argv);
	/* One reply to a get request: 0 or -errno. */
	int (*show)(struct cli *cli, struct nl_msg *msg);
	/* Objects that do not use netlink: do the whole job, exit code. */
	int (*run)(struct cli *cli);
};

enum cli_action {
	CLI_RUN,
	CLI_HELP,		/* obj's usage, or everything's without obj */
	CLI_VERSION,
};

struct cli {
	bool json;
	bool pretty;
	const char *netns;
	enum cli_action action;
	const struct object *obj;
	struct cgn_req req;
	FILE *out;
	struct json js;
	unsigned int shown;	/* replies printed so far */
	char err[256];		/* what is wrong with the arguments */
	char ctl[512];		/* board: the request line for cgn-syncd */
};

extern const struct object instance_object;
extern const struct object pool_object;
extern const struct object nat44_object;
extern const struct object pass_object;
extern const struct object dslite_object;
extern const struct object user_object;
extern const struct object session_object;
extern const struct object stats_object;
extern const struct object fastpath_object;
extern const struct object board_object;

void cli_init(struct cli *cli, FILE *out);
int cli_parse(struct cli *cli, int argc, char **argv);	/* 0 or EXIT_USAGE */
void cli_usage(FILE *f, const struct object *obj);
bool cli_is_get(const struct cli *cli);

/* For the objects' parsers; all return EXIT_USAGE. */
int cli_error(struct cli *cli, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int cli_missing(struct cli *cli, const char *what);
int cli_unexpected(struct cli *cli, const char *arg);
int cli_unknown_verb(struct cli *cli, const char *verb);

/* These return 0, or EXIT_USAGE with cli->err set; @arg may be NULL. */
int cli_name(struct cli *cli, const char *arg);
int cli_prefix(struct cli *cli, const char *arg, struct cgn_prefix *p);
int cli_u32(struct cli *cli, const char *key, const char *arg, uint32_t *v);
int cli_show_instances(struct cli *cli, int argc, char **argv);

/* board: print cgn-syncd's "show" reply as text or JSON; 0 or -EBADMSG. */
int board_print(struct cli *cli, const char *reply);

/* Instance SETTINGS, into cli->req.config; 0 or EXIT_USAGE. */
int settings_parse(struct cli *cli, int argc, char **argv);
void settings_plain(FILE *f, const struct cgn_config *cfg);
void settings_json(struct json *js, const struct cgn_config *cfg);

/* Shared by instance show and pool show, and pass show. */
void pool_plain(FILE *f, const struct cgn_pool *pool);
void pool_json(struct json *js, const struct cgn_pool *pool);
void pass_plain(FILE *f, const struct cgn_pass *pass);
void pass_json(struct json *js, const struct cgn_pass *pass);

#endif /* CGNCTL_H */
