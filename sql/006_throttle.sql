-- resilops 006: one table for throttled anonymous attempts (logins and
-- signups), recorded before the password hashing they would cost, so
-- concurrent attempts cannot all slip under the limit.  The subject is
-- the account ("u:<id>", so its username and email share one budget)
-- or a keyed hash of a name that matches no account: a typed login (a
-- password typed into the username field, say) is never stored.  The
-- old table's rows name raw logins and go with it; the throttle state
-- of the last window is all that is lost.
DROP TABLE login_failures;

CREATE TABLE throttle_events (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	kind		VARCHAR(16) NOT NULL,
	subject		VARBINARY(64) NOT NULL,
	addr		VARBINARY(64) NOT NULL,
	at		DATETIME NOT NULL,
	KEY ix_throttle_subject (kind, subject, at),
	KEY ix_throttle_addr (kind, addr, at),
	KEY ix_throttle_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
