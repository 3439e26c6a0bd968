/*
 * Listing the rule keywords for `odlar --list-keywords` (keyword-list.c).
 */
#ifndef ODLAR_DETECT_KEYWORD_LIST_H
#define ODLAR_DETECT_KEYWORD_LIST_H

#include <stdbool.h>
#include <stdio.h>

/* Prints every keyword (which NULL, "" or "all"), every keyword as
 * `;`-separated lines ("csv"), or the one named `which` (name or alias).
 * False when `which` names no keyword. */
bool keyword_list_print(FILE *out, const char *which);

#endif
