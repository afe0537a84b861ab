/* vd-llm-client-url.c: which endpoint URLs are usable, where the key may go,
 * and URLs made fit to show
 *
 * Copyright 2026 The Verdict developers
 *
 * This program is free software: you can redistribute it and/or modify
 * it under the terms of the GNU General Public License as published by
 * the Free Software Foundation, either version 3 of the License, or
 * (at your option) any later version.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "vd-llm-client"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "vd-llm-client.h"

/*
 * An endpoint URL travels into error messages, and from there into the
 * escalation detail of items, the append-only audit trail, the terminal and
 * the window. Credentials written into it (`http://user:key@host`) would
 * follow it everywhere, so such URLs are refused where they are entered,
 * and every message that may quote a URL passes vd_llm_redact_text() before
 * it is stored or shown.
 */

static gboolean
is_scheme_byte (char c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '-' || c == '.';
}

/* Where a URL quoted in running text ends: at blanks, control characters,
 * quotes and angle brackets, including the typographic quotes the
 * messages use around values. */
static gsize
url_length (const char *text,
            gsize       length)
{
  gsize i = 0;

  while (i < length)
    {
      guchar c = (guchar) text[i];

      if (c <= ' ' || c == 0x7f || c == '"' || c == '\'' || c == '<' || c == '>' || c == '`')
        break;

      /* “ ” ‘ ’ in UTF-8 */
      if (c == 0xe2 && i + 2 < length && (guchar) text[i + 1] == 0x80 &&
          ((guchar) text[i + 2] == 0x9c || (guchar) text[i + 2] == 0x9d ||
           (guchar) text[i + 2] == 0x98 || (guchar) text[i + 2] == 0x99))
        break;

      i++;
    }

  /* Punctuation closing the sentence is not part of the URL. */
  while (i > 0 && strchr (".,:;!?)]}", text[i - 1]) != NULL)
    i--;

  return i;
}

static const char *
find_byte (const char *start,
           const char *end,
           const char *set)
{
  for (const char *p = start; p < end; p++)
    if (strchr (set, *p) != NULL)
      return p;

  return end;
}

/* Appends the URL @url[0, @length), which starts right after "scheme://",
 * without its user information, query and fragment. */
static void
append_redacted_url (GString    *out,
                     const char *url,
                     gsize       length)
{
  const char *end = url + length;
  const char *authority_end = find_byte (url, end, "/?#");
  const char *host = url;
  const char *path_end;

  for (const char *p = url; p < authority_end; p++)
    if (*p == '@')
      host = p + 1;

  path_end = find_byte (authority_end, end, "?#");

  g_string_append_len (out, host, authority_end - host);
  g_string_append_len (out, authority_end, path_end - authority_end);
}

/**
 * vd_llm_redact_text:
 * @text: (nullable): a message that may quote URLs
 *
 * Rewrites every URL in @text (anything of the form `scheme://...`)
 * without its user name and password and without its query and fragment,
 * where keys and tokens are usually put, and hides the token after
 * `Bearer `. Every message that may carry a URL passes here before it is
 * stored (escalation details, the audit trail) or printed.
 *
 * Returns: (transfer full): the text fit to store and show
 */
char *
vd_llm_redact_text (const char *text)
{
  g_autoptr(GString) out = NULL;
  const char *sep;
  const char *bearer;
  const char *p;
  gsize length;

  if (text == NULL)
    return g_strdup ("");

  length = strlen (text);
  out = g_string_sized_new (length);
  p = text;
  sep = strstr (p, "://");
  bearer = strstr (p, "Bearer ");

  while (*p != '\0')
    {
      const char *scheme;

      /* Look again only for what was passed: one pass over the text. */
      if (sep != NULL && sep < p)
        sep = strstr (p, "://");
      if (bearer != NULL && bearer < p)
        bearer = strstr (p, "Bearer ");

      if (bearer != NULL && (sep == NULL || bearer < sep))
        {
          const char *token = bearer + strlen ("Bearer ");
          gsize n = url_length (token, text + length - token);

          g_string_append_len (out, p, token - p);
          if (n > 0)
            g_string_append (out, "[redacted]");
          p = token + n;
          continue;
        }

      if (sep == NULL)
        {
          g_string_append (out, p);
          break;
        }

      scheme = sep;
      while (scheme > p && is_scheme_byte (scheme[-1]))
        scheme--;
      while (scheme < sep && !g_ascii_isalpha (*scheme))
        scheme++;

      if (scheme == sep)
        {
          /* "://" with no scheme before it: not a URL. */
          g_string_append_len (out, p, sep + 3 - p);
          p = sep + 3;
          continue;
        }

      g_string_append_len (out, p, sep + 3 - p);
      {
        const char *url = sep + 3;
        gsize n = url_length (url, text + length - url);

        append_redacted_url (out, url, n);
        p = url + n;
      }
    }

  return g_string_free (g_steal_pointer (&out), FALSE);
}

/**
 * vd_llm_check_endpoint_url:
 * @url: (nullable): an endpoint URL as entered, e.g. `https://api.example.com/v1`
 * @error: return location for a #GError
 *
 * Checks that @url can be an endpoint: an http:// or https:// URL with a
 * host (%VD_LLM_ERROR_INVALID_ENDPOINT otherwise) and without a user name
 * or password (%VD_LLM_ERROR_CREDENTIALS): a key in the URL would be
 * stored, logged and shown with it. The command-line tool and the app call
 * this before they take an endpoint; messages quote @url redacted.
 *
 * Returns: %TRUE if @url may be used
 */
gboolean
vd_llm_check_endpoint_url (const char  *url,
                           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *shown = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL)
    url = "";

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  shown = vd_llm_redact_text (url);

  if (uri != NULL && g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, VD_LLM_ERROR, VD_LLM_ERROR_CREDENTIALS,
                   "%s: the URL holds a user name or password; remove them and give the key "
                   "as the API key", shown);
      return FALSE;
    }

  scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;
  host = uri != NULL ? g_uri_get_host (uri) : NULL;
  if (scheme == NULL ||
      (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0) ||
      host == NULL || host[0] == '\0')
    {
      g_set_error (error, VD_LLM_ERROR, VD_LLM_ERROR_INVALID_ENDPOINT,
                   "“%s” is not an http:// or https:// URL with a host", shown);
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0 || g_ascii_strcasecmp (host, "localhost.") == 0)
    return TRUE;

  /* Only literal addresses: a name could resolve anywhere. */
  address = g_inet_address_new_from_string (host);

  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * vd_llm_key_allowed_for_url:
 * @url: the URL a request would go to
 * @allow_insecure_http: whether the user allowed plain http for this
 *   endpoint
 *
 * Decides whether an API key may be sent to @url: always over https; over
 * plain http only to this computer (`localhost`, 127.0.0.0/8, `::1`), where
 * nobody else can read it on the way, or when @allow_insecure_http says
 * the user accepts that risk for this endpoint.
 *
 * Returns: %TRUE if the key may go with a request to @url
 */
gboolean
vd_llm_key_allowed_for_url (const char *url,
                            gboolean    allow_insecure_http)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  g_return_val_if_fail (url != NULL, FALSE);

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    return FALSE;

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (scheme == NULL || host == NULL || host[0] == '\0')
    return FALSE;

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") != 0)
    return FALSE;

  return allow_insecure_http || is_loopback_host (host);
}
