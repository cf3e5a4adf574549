-- resilops 001: accounts, token revocation, login throttling, the audit chain.
-- Applied by "resilops-admin migrate"; every table InnoDB, utf8mb4.
-- Names and emails compare case-insensitively without PAD SPACE ('bob' <> 'bob ');
-- hashes, token ids and MACs are binary and compare exactly.

CREATE TABLE users (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	username	VARCHAR(255) NOT NULL,
	email		VARCHAR(255) NULL,
	name		VARCHAR(255) NULL,
	password_hash	VARBINARY(512) NOT NULL,
	role		VARCHAR(32) NOT NULL,
	active		TINYINT(1) NOT NULL DEFAULT 1,
	token_gen	INT UNSIGNED NOT NULL DEFAULT 0,
	created_at	DATETIME NOT NULL,
	updated_at	DATETIME NOT NULL,
	UNIQUE KEY uq_users_username (username),
	UNIQUE KEY uq_users_email (email),
	KEY ix_users_role (role, active)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_nopad_ci;

-- Logged-out tokens, kept until they would have expired anyway.
CREATE TABLE revoked_tokens (
	jti		BINARY(16) NOT NULL PRIMARY KEY,
	expires_at	DATETIME NOT NULL,
	KEY ix_revoked_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One row per failed login; counted per username and per address.
CREATE TABLE login_failures (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	username	VARCHAR(255) NOT NULL,
	addr		VARBINARY(64) NOT NULL,
	at		DATETIME NOT NULL,
	KEY ix_login_failures_user (username, at),
	KEY ix_login_failures_addr (addr, at),
	KEY ix_login_failures_at (at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_nopad_ci;

-- The audit trail: append-only, each row's mac chains to the previous one.
-- Ids come from audit_head, so they are dense: a gap is a deleted row.
CREATE TABLE audit_log (
	id		BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	created_at	DATETIME NOT NULL,
	user_id		BIGINT UNSIGNED NULL,
	username	VARCHAR(255) NULL,
	action		VARCHAR(100) NOT NULL,
	entity		VARCHAR(50) NOT NULL,
	entity_id	BIGINT UNSIGNED NULL,
	ip		VARCHAR(64) NULL,
	user_agent	VARCHAR(512) NULL,
	details		TEXT NULL,
	status		SMALLINT NULL,
	prev_mac	BINARY(32) NOT NULL,
	mac		BINARY(32) NOT NULL,
	KEY ix_audit_created (created_at),
	KEY ix_audit_user (user_id, id),
	KEY ix_audit_action (action, id),
	KEY ix_audit_entity (entity, entity_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- The chain head: locked by every append, so appends are serialised.
CREATE TABLE audit_head (
	id		TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	last_id		BIGINT UNSIGNED NOT NULL,
	last_mac	BINARY(32) NOT NULL
) ENGINE=InnoDB;

INSERT INTO audit_head (id, last_id, last_mac) VALUES (1, 0, UNHEX(REPEAT('00', 32)));
