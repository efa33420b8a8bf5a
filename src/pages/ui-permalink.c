/* ui-permalink.c: Slack-style permalinks, "/archives/{CID}/p{16 digits}",
 * the shape of https://{team}.slack.com/archives/... links. Someone who
 * swaps the workspace's host for the archive's lands on the message: a 301
 * to its day page (a thread reply: its parent's), at its anchor. */
#include "pages/ui.h"
#include <string.h>

void page_permalink(page *p, const char *channel_id, const char *p16)
{
	char ts[18];
	memcpy(ts, p16, 10);
	ts[10] = '.';
	memcpy(ts + 11, p16 + 10, 6);
	ts[17] = 0;
	buf_t loc = BUF_INIT;
	if (ui_message_url(p, channel_id, ts, &loc))
		ui_redirect(p, &loc);
	else
		ui_not_found(p, "The archive does not have this message.", NULL, NULL);
	buf_free(&loc);
}
