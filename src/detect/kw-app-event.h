/*
 * app-layer-event on the transactions of the protocols Odlar parses (see
 * kw-app-event.c). kw-events.c calls app_event_setup() for those
 * protocols; keywords_register_app_events() registers the internal
 * buffers and keyword (from keywords_register_buffers_txkw()).
 */
#ifndef ODLAR_DETECT_KW_APP_EVENT_H
#define ODLAR_DETECT_KW_APP_EVENT_H

#include <stdbool.h>

#include "detect/app-proto.h"
#include "detect/rule-parse.h"
#include "detect/signature.h"

/* Whether app-layer-event rules of `proto` are matched on transactions. */
bool app_event_handles(AppProto proto);
/* Adds `app-layer-event:<proto>.<event>` to s. */
bool app_event_setup(RuleParseCtx *rp, Signature *s, AppProto proto, const char *event);
void keywords_register_app_events(void);

#endif
