/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-uuid"

#include "config.h"

#include "pdm-uuid.h"

static void
format_uuid (const guint8 bytes[16],
             char         out[PDM_UUID_LEN + 1])
{
  static const char hex[] = "0123456789abcdef";
  guint o = 0;

  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        out[o++] = '-';
      out[o++] = hex[bytes[i] >> 4];
      out[o++] = hex[bytes[i] & 0x0f];
    }
  out[o] = '\0';
}

/* UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Keys
 * made one after another sort one after another, so new records land at
 * the end of the B-tree instead of all over it. */
void
pdm_uuid_v7_generate (char out[PDM_UUID_LEN + 1])
{
  guint64 ms = (guint64) (g_get_real_time () / 1000);
  guint8 bytes[16];

  for (guint i = 0; i < 6; i++)
    bytes[i] = (ms >> (40 - 8 * i)) & 0xff;
  for (guint i = 6; i < 16; i += 4)
    {
      guint32 r = g_random_int ();

      memcpy (bytes + i, &r, MIN (4, 16 - i));
    }
  bytes[6] = (bytes[6] & 0x0f) | 0x70;   /* version 7 */
  bytes[8] = (bytes[8] & 0x3f) | 0x80;   /* RFC variant */

  format_uuid (bytes, out);
}

char *
pdm_uuid_v7_new (void)
{
  char uuid[PDM_UUID_LEN + 1];

  pdm_uuid_v7_generate (uuid);

  return g_strdup (uuid);
}

gboolean
pdm_uuid_is_valid (const char *text)
{
  return text != NULL && g_uuid_string_is_valid (text);
}

/* UUIDv5 (RFC 9562): the first 16 bytes of SHA-1 over the namespace's 16
 * bytes and the name. The same name gives the same key on every device, so
 * two devices that record one fact (a PSM joins a training) write one
 * record instead of two. */
void
pdm_uuid_v5_generate (const char *namespace_uuid,
                      const char *name,
                      char        out[PDM_UUID_LEN + 1])
{
  g_autoptr(GChecksum) sha1 = g_checksum_new (G_CHECKSUM_SHA1);
  guint8 namespace_bytes[16];
  guint8 digest[20];
  gsize digest_len = sizeof digest;
  guint n = 0;

  g_return_if_fail (pdm_uuid_is_valid (namespace_uuid));
  g_return_if_fail (name != NULL);

  for (const char *p = namespace_uuid; *p != '\0' && n < 16; p++)
    {
      if (*p == '-')
        continue;
      namespace_bytes[n++] = (g_ascii_xdigit_value (p[0]) << 4) | g_ascii_xdigit_value (p[1]);
      p++;
    }

  g_checksum_update (sha1, namespace_bytes, sizeof namespace_bytes);
  g_checksum_update (sha1, (const guchar *) name, strlen (name));
  g_checksum_get_digest (sha1, digest, &digest_len);

  digest[6] = (digest[6] & 0x0f) | 0x50;   /* version 5 */
  digest[8] = (digest[8] & 0x3f) | 0x80;   /* RFC variant */

  format_uuid (digest, out);
}

/**
 * pdm_uuid_derive:
 * @kind: what the key is for, such as a table name
 * @first: the first thing it joins
 * @second: the second
 *
 * The UUIDv5 of "@kind/@first/@second" in %PDM_UUID_NAMESPACE.
 *
 * Returns: (transfer full): the key
 */
char *
pdm_uuid_derive (const char *kind,
                 const char *first,
                 const char *second)
{
  g_autofree char *name = NULL;
  char uuid[PDM_UUID_LEN + 1];

  g_return_val_if_fail (kind != NULL && first != NULL && second != NULL, NULL);

  name = g_strconcat (kind, "/", first, "/", second, NULL);
  pdm_uuid_v5_generate (PDM_UUID_NAMESPACE, name, uuid);

  return g_strdup (uuid);
}
