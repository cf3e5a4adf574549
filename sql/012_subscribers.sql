-- resilops 012: status page subscribers (CONTRACT 7, "Incidents,
-- maintenance, subscribers").
--
-- An address is personal data: kept once, here, sealed under the data
-- key ([secrets], util/keyring; AAD "subscriber:<id>:address"), with
-- an HMAC of it (lower case) so a second subscription of the same
-- address finds the first; deleted with the row on unsubscribe.  The
-- links' tokens are not stored: each is an HMAC of the row's id and
-- its random salt (core/subscriber), so the daemon can put the
-- unsubscribe link in every message and a new salt kills old links.
CREATE TABLE subscribers (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	kind		VARCHAR(8) NOT NULL,		-- email, webhook, slack
	address_hmac	BINARY(32) NOT NULL,
	address_sealed	TEXT NULL,
	salt		CHAR(32) NOT NULL,
	all_services	TINYINT(1) NOT NULL DEFAULT 1,
	confirmed_at	DATETIME NULL,
	confirm_expires	DATETIME NULL,
	created_at	DATETIME NOT NULL,
	UNIQUE KEY uq_subscribers_address (address_hmac),
	KEY ix_subscribers_confirmed (confirmed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

CREATE TABLE subscriber_services (
	subscriber_id	BIGINT UNSIGNED NOT NULL,
	service_id	BIGINT UNSIGNED NOT NULL,
	PRIMARY KEY (subscriber_id, service_id),
	KEY ix_subscriber_services_service (service_id),
	CONSTRAINT fk_subscriber_services_subscriber FOREIGN KEY (subscriber_id)
	    REFERENCES subscribers (id) ON DELETE CASCADE,
	CONSTRAINT fk_subscriber_services_service FOREIGN KEY (service_id)
	    REFERENCES services (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- What the daemon delivers to subscribers: one row per subscriber and
-- event (event_key: "confirm", "incident:<update id>", "maintenance-
-- start:<id>"...; unique, so nothing goes twice), the message without
-- the address or the links, which delivery adds.
CREATE TABLE subscriber_outbox (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	subscriber_id	BIGINT UNSIGNED NOT NULL,
	event_key	VARCHAR(64) NOT NULL,
	payload		MEDIUMTEXT NOT NULL,
	status		VARCHAR(10) NOT NULL DEFAULT 'pending',
	attempts	INT UNSIGNED NOT NULL DEFAULT 0,
	next_attempt_at	DATETIME NOT NULL,
	last_error	VARCHAR(255) NULL,
	created_at	DATETIME NOT NULL,
	sent_at		DATETIME NULL,
	UNIQUE KEY uq_subscriber_outbox_event (subscriber_id, event_key),
	KEY ix_subscriber_outbox_due (status, next_attempt_at),
	CONSTRAINT fk_subscriber_outbox_subscriber FOREIGN KEY (subscriber_id)
	    REFERENCES subscribers (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
