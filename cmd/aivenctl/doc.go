/*
Aivenctl reads an Aiven account through the Aiven API: the user a token
belongs to, the projects it can reach, and the clouds services can run in.
It answers with an aligned table for people or, with --json, with JSON for
jq and scripts.

Usage:

	aivenctl [flags] <command> [flags]

Commands:

	user info      the user the token belongs to (GET /v1/me)
	project list   the projects the user is a member of (GET /v1/project)
	cloud list     the clouds services can run in (GET /v1/clouds); needs no token
	cloud list --project NAME
	               the clouds available to a project (GET /v1/project/{project}/clouds)
	version        the version of aivenctl
	help [command] help for aivenctl or for one command

"aivenctl -h", "aivenctl project -h" and "aivenctl help project" print help
on stdout and exit 0.

# Flags

Flags go anywhere on the line: "aivenctl --json cloud list", "aivenctl cloud
--json list" and "aivenctl cloud list --json" are the same command. Either
one or two dashes may start a flag, and a value may follow "=" or a space.

	--json
		Print JSON instead of a table: what the API sent for the items
		listed, indented, and nothing else on stdout: the array of
		projects or of clouds, or for user info a list of one user (as
		avn prints it). Every field is printed, in the API's order, fields
		openapi.yaml does not declare included, and numbers as the API
		wrote them; the answer must still decode into the client's types
		first, so a malformed answer fails as it does for the table.
	--url URL
		The API host, without /v1 (default: $AIVEN_WEB_URL, else
		https://api.aiven.io).
	--token-file PATH
		Read the token from PATH: either the token alone (surrounding white
		space is ignored) or a credentials file such as "avn user login"
		writes. A token given this way wins over every other source. PATH
		may be a pipe or FIFO (such as /dev/stdin): it is read until its
		writer closes it, within --timeout.
	--auth-scheme aivenv1|bearer
		How the token is sent: "Authorization: aivenv1 <token>" (the
		default, as Aiven's own clients send it) or "Authorization: Bearer
		<token>"; the name in any case.
	--timeout DURATION
		Give up when the whole command, retries included, has taken
		DURATION, such as 30s or 2m (default 60s; 0 waits forever).
	--debug
		Trace each HTTP attempt on stderr (method, URL without its query,
		attempt number, status, duration), with the credential shown as
		"aivenv1 ****".
	--project NAME
		For cloud list: list the clouds available to project NAME, as
		"avn cloud list --project NAME" does; this call needs a token.
		Other commands refuse it.
	--validate
		Check every response against the openapi.yaml this client was
		generated from, and print each difference on stderr as
		"aivenctl: drift: GET /v1/clouds (HTTP 200) /clouds/3/geo_region:
		expected a required field, got absent". The command still
		succeeds when the response decodes: use it to spot changes of the
		API the day they happen.

No flag takes a token itself: a command line is visible to every user of the
machine (ps), and lands in shell history.

# Token

The token is the first one found of:

 1. the file named by --token-file;
 2. $AIVEN_TOKEN (the convention of Aiven's Go client and Terraform provider);
 3. $AIVEN_AUTH_TOKEN (the Python CLI avn);
 4. $MST_API_TOKEN (Managed Service for TimescaleDB);
 5. the auth_token of the JSON file that "avn user login" writes,
    {"auth_token": "...", "user_email": "..."}: $AIVEN_CREDENTIALS_FILE if
    set, else $AIVEN_CONFIG_DIR/aiven-credentials.json if AIVEN_CONFIG_DIR
    is set, else $HOME/.config/aiven/aiven-credentials.json.

An empty variable counts as unset, and a credentials file that does not
exist as no token; one that exists but cannot be read or parsed is an error.
aivenctl warns on stderr when a file holding a token can be read by other
users. "cloud list" sends the token when there is one and works without;
the other commands fail, naming every place they looked.

The token never appears in anything aivenctl prints: not in errors, not in
--debug traces, not even when a server echoes it back.

# Environment

	AIVEN_TOKEN, AIVEN_AUTH_TOKEN, MST_API_TOKEN
		The token (see above).
	AIVEN_CREDENTIALS_FILE, AIVEN_CONFIG_DIR, HOME
		Where the credentials file of "avn user login" is (see above).
	AIVEN_WEB_URL
		The API host when --url is not given.
	AIVEN_CA_CERT
		A file of PEM certificates trusted in addition to the system's, for
		a TLS-intercepting proxy or a private installation.
	AIVEN_DEBUG
		"1" or "true" turns on --debug.
	HTTPS_PROXY, HTTP_PROXY, NO_PROXY
		The proxy to use, as for every Go program.

# Output

Tables keep the order of the API and the columns users of avn know (for
clouds, as in avn, every field the clouds carry, alphabetically):

	user info      USER, REAL_NAME, STATE, TOKEN_VALIDITY_BEGIN, PROJECTS, AUTH
	project list   PROJECT_NAME, DEFAULT_CLOUD, CREDIT_CARD
	cloud list     a column for every field the API sends: those openapi.yaml
	               declares, typed (CLOUD_DESCRIPTION, CLOUD_NAME,
	               GEO_LATITUDE, ...), and any other as sent (CLOUD_TAGS; an
	               object as one column per field, ZONE.ID)

A list is printed as avn prints it, its items separated by ", "
("password, oauth"); CREDIT_CARD is the card's brand and last four digits,
such as "Visa/4242", or empty (avn shows the card's user_email/card_id
there). Times are printed as the API sent them. A value that is absent or
null is an empty cell. Control and bidirectional-override characters in API
text are printed escaped (\x1b, \u202e), so a hostile value cannot drive
the terminal.

# Errors and exit status

aivenctl exits 0 on success, 1 when the API, the network or the local
configuration fails, and 2 on a usage error (an unknown command or flag, a
bad flag value). A usage error is two lines on stderr: the mistake, with the
closest command or flag when one is a slip away, and where the help is:

	aivenctl: unknown flag "--jsno"; did you mean --json?
	Run 'aivenctl help' for usage.

An argument is repeated only when it is short and word-like, and does not
look like a key (digits mixed with letters of both cases, or 16 characters
or more of digits and letters); anything else, such as a token pasted in the
wrong place, is shown by its length alone ("unexpected argument (370
characters, not shown)").

A failure is one line on stderr:

	aivenctl: Rate limit 120 exceeded - try again in 28s (HTTP 429)
	aivenctl: Missing (expired) db token (HTTP 401); the token came from AIVEN_TOKEN
	aivenctl: Bad Gateway (HTTP 502): "502 Bad Gateway nginx"
	aivenctl: GET https://api.aiven.io/v1/clouds: dial tcp: lookup api.aiven.io: no such host

A 401 names where the token was taken from (a variable or a file, never the
value). Requests that fail with 429, 502, 503, 504 or a connection error are
retried with backoff, honouring the wait the server asks for, within
--timeout; the error then says how many attempts were made.

# Examples

List the clouds in Europe, without any token:

	aivenctl cloud list --json | jq -r '.[] | select(.geo_region == "europe") | .cloud_name'

Check which user a token in a file belongs to:

	aivenctl --token-file ~/secrets/aiven-token user info

Read the token from a password manager, never from the environment:

	pass show aiven/token | aivenctl --token-file /dev/stdin user info

Watch the requests of a failing command:

	AIVEN_DEBUG=1 aivenctl project list
*/
package main
