/*
 * The SLA configuration per ticket priority (sql/007_tickets.sql): four
 * rows, read whole.
 */
#ifndef RO_DB_SLA_H
#define RO_DB_SLA_H

#include <stddef.h>
#include <time.h>

#include "core/ticket.h"

struct db;

struct sla_config {
	long long		 id;
	enum ticket_priority	 priority;
	int			 sla_hours;
	int			 first_response_hours;	/* 0: no target */
	int			 warn_percent;
	char			*calendar;		/* JSON text; NULL: 24x7 */
	time_t			 updated_at;
};

void	 sla_config_clear(struct sla_config *);
/* Every row, by priority (index = enum ticket_priority).  0 or -1. */
int	 db_sla_all(struct db *, struct sla_config out[PRIO__MAX]);
/* Write one row (by priority).  0 or -1. */
int	 db_sla_update(struct db *, const struct sla_config *, time_t now);

#endif
