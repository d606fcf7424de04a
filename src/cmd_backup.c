/*
 * cmd_backup.c: a consistent copy of the database while the daemon writes,
 * by SQLite's VACUUM INTO: one snapshot, compact, synced.  It is written
 * beside FILE and put in place only when whole: never over a file that is
 * there, unless --force (then replaced atomically).  Copying a database in
 * WAL mode by hand (cp) can miss what is in its -wal file, or catch it
 * half written: this is the way to copy it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "rates.h"

static int cmd_backup_exec(struct cmd_ctx *);

static const struct cmd_option cmd_backup_options[] = {
	{"force", OPT_FORCE, NULL, "replace FILE if it is there"},
	{NULL, 0, NULL, NULL},
};

const struct cmd_entry cmd_backup_entry = {
	.name = "backup",
	.usage = "[--force] FILE",
	.summary = "a consistent copy of the database, also while it is written",
	.options = cmd_backup_options,
	.min_args = 1,
	.max_args = 1,
	.flags = CMD_DB_READ,
	.exec = cmd_backup_exec,
};

static int
cmd_backup_exec(struct cmd_ctx *ctx)
{
	const char *arg = ctx->args->argv[0];
	int force = args_has(ctx->args, OPT_FORCE), fd;
	struct stat sb, db;
	mode_t mode;
	char *path, *tmp, *cause = NULL;

	if (strcmp(arg, "-") == 0)
		cmd_usage_error(&cmd_backup_entry, "a backup is a file: '-' "
		    "(standard output) is not one");
	/* A link is followed: its target is the backup, as with export -o. */
	if ((path = afile_resolve(arg, &cause)) == NULL) {
		log_error("%s", cause);
		free(cause);
		return EXIT_ERROR;
	}
	if (stat(path, &sb) == 0) {
		if (!S_ISREG(sb.st_mode))
			cause = xasprintf("%s: not a regular file", arg);
		else if (stat(ctx->db_path, &db) == 0 &&
		    sb.st_dev == db.st_dev && sb.st_ino == db.st_ino)
			cause = xasprintf("%s: that is the database itself",
			    arg);
		else if (!force)
			cause = xasprintf("%s: there is a file there already "
			    "(--force replaces it)", arg);
		if (cause != NULL) {
			log_error("%s", cause);
			free(cause);
			free(path);
			return EXIT_ERROR;
		}
	}
	tmp = xasprintf("%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) == -1) {
		log_error("%s: %s", path, strerror(errno));
		free(tmp);
		free(path);
		return EXIT_ERROR;
	}
	/* The mode of the file it replaces, or what a new file gets. */
	if (stat(path, &sb) == 0)
		mode = sb.st_mode & 07777;
	else {
		mode = umask(0);
		umask(mode);
		mode = 0666 & ~mode;
	}
	(void)fchmod(fd, mode);
	close(fd);
	if (db_backup(ctx->db, tmp, &cause) != 0)
		goto fail;
	/* Without --force, link() refuses a file that came meanwhile. */
	if (force ? rename(tmp, path) != 0 : link(tmp, path) != 0) {
		cause = xasprintf("%s: %s", path, errno == EEXIST ? "there is "
		    "a file there already (--force replaces it)" :
		    strerror(errno));
		goto fail;
	}
	if (!force)
		unlink(tmp);
	free(tmp);
	log_info("backed up %s to %s", ctx->db_path, path);
	free(path);
	return EXIT_OK;
fail:
	log_error("%s", cause);
	free(cause);
	unlink(tmp);
	free(tmp);
	free(path);
	return EXIT_ERROR;
}
