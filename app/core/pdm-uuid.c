/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-uuid"

#include "config.h"

#include "pdm-uuid.h"

/* UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits. Keys
 * made one after another sort one after another, so new records land at
 * the end of the B-tree instead of all over it. */
void
pdm_uuid_v7_generate (char out[PDM_UUID_LEN + 1])
{
  static const char hex[] = "0123456789abcdef";
  guint64 ms = (guint64) (g_get_real_time () / 1000);
  guint8 bytes[16];
  guint o = 0;

  for (guint i = 0; i < 6; i++)
    bytes[i] = (ms >> (40 - 8 * i)) & 0xff;
  for (guint i = 6; i < 16; i += 4)
    {
      guint32 r = g_random_int ();

      memcpy (bytes + i, &r, MIN (4, 16 - i));
    }
  bytes[6] = (bytes[6] & 0x0f) | 0x70;   /* version 7 */
  bytes[8] = (bytes[8] & 0x3f) | 0x80;   /* RFC variant */

  for (guint i = 0; i < 16; i++)
    {
      if (i == 4 || i == 6 || i == 8 || i == 10)
        out[o++] = '-';
      out[o++] = hex[bytes[i] >> 4];
      out[o++] = hex[bytes[i] & 0x0f];
    }
  out[o] = '\0';
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
