-- resilops 037: each service's list item kept on its row (speed issue 13).
--
-- A page of the services list sent 18 columns a row and the worker made
-- them into text again at every request: the name, description and
-- creator quoted and escaped, two times formatted, the BIA, the
-- dependency ids parsed and written twice.  All of that changes only
-- when the row does, so the row keeps it, as the members of the
-- service's JSON object from "name" to the outer "dependencies", in
-- the order and spelling src/api/api_services.c write_service writes
-- them.  A stored generated column: MariaDB makes it again in the same
-- statement as any change of the columns it reads, so no writer can
-- leave it stale, and a heartbeat, which changes none of them, does
-- not touch it.  The list reads it with what changes without the row:
-- the id (an AUTO_INCREMENT column, which a generated column may not
-- read), the status, public and the maintenance windows (src/db/
-- db_service.c SQL_PAGE; mariadbd per page of 50 through the mariadb
-- client 240 -> 205 us, and the worker's text made by memcpy).
--
-- Spelled as json-c writes (util/jsonw.c), which a single service's
-- answer still is, byte for byte (tests/integration/test_jsonw_list.py):
-- JSON_QUOTE escapes as json-c does but writes a control character's
-- \u escape with upper-case hex, which the reader turns to lower-case
-- (util/jsonw.c jsonw_hex_lower); a criticality or impact is its
-- canonical spelling, matched without regard to case as
-- core/service.c does, null when it is none of them; a time is null
-- when NULL, a zero date or the epoch itself (time 0, which jsonw
-- writes as null), the epoch for earlier ones (isotime_format clamps),
-- else ISO 8601 in UTC (DATE_FORMAT may not be used here: its month
-- names depend on the session).
ALTER TABLE services ADD COLUMN item TEXT AS (CONCAT(
	'"name":', JSON_QUOTE(name),
	',"description":', IFNULL(JSON_QUOTE(description), 'null'),
	',"created_by":', IFNULL(JSON_QUOTE(created_by), 'null'),
	',"created_at":',
	CASE WHEN created_at IS NULL OR MONTH(created_at) = 0 OR
	    DAYOFMONTH(created_at) = 0 OR
	    created_at = '1970-01-01 00:00:00' THEN 'null'
	WHEN created_at < '1970-01-01 00:00:00' THEN '"1970-01-01T00:00:00Z"'
	ELSE CONCAT('"', REPLACE(CAST(created_at AS CHAR), ' ', 'T'), 'Z"')
	END,
	',"bia":', IF(bia_set = 0, 'null', CONCAT(
	    '{"criticality":',
	    CASE LOWER(bia_criticality) COLLATE utf8mb4_bin
	    WHEN 'low' THEN '"Low"' WHEN 'medium' THEN '"Medium"'
	    WHEN 'high' THEN '"High"' ELSE 'null' END,
	    ',"impact":',
	    CASE LOWER(bia_impact) COLLATE utf8mb4_bin
	    WHEN 'low' THEN '"Low"' WHEN 'medium' THEN '"Medium"'
	    WHEN 'moderate' THEN '"Moderate"' WHEN 'high' THEN '"High"'
	    WHEN 'severe' THEN '"Severe"' ELSE 'null' END,
	    ',"rto":', IFNULL(CAST(bia_rto AS CHAR), 'null'),
	    ',"rpo":', IFNULL(CAST(bia_rpo AS CHAR), 'null'),
	    ',"signed_off":', IF(IFNULL(bia_signed_off, 0) <> 0, 'true', 'false'),
	    ',"signed_off_by":', IFNULL(JSON_QUOTE(bia_signed_off_by), 'null'),
	    ',"signed_off_at":',
	    CASE WHEN bia_signed_off_at IS NULL OR
		MONTH(bia_signed_off_at) = 0 OR
		DAYOFMONTH(bia_signed_off_at) = 0 OR
		bia_signed_off_at = '1970-01-01 00:00:00' THEN 'null'
	    WHEN bia_signed_off_at < '1970-01-01 00:00:00'
		THEN '"1970-01-01T00:00:00Z"'
	    ELSE CONCAT('"', REPLACE(CAST(bia_signed_off_at AS CHAR), ' ', 'T'),
		'Z"')
	    END,
	    ',"dependencies":[', IFNULL(deps, ''), ']}')),
	',"dependencies":[', IFNULL(deps, ''), ']')) STORED;
