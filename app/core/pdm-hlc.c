/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-hlc"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#if defined(__has_include)
# if __has_include(<sys/random.h>)
#  include <sys/random.h>
#  define PDM_HAVE_GETRANDOM 1
# endif
#endif

#include "pdm-hlc.h"

struct _PdmHlc
{
  /* The sync worker observes pulled stamps while the main thread writes. */
  GMutex           mutex;

  guint64          device_id;
  guint64          last;

  PdmHlcClockFunc  now_ms;
  gpointer         now_ms_data;
};

static const char hex_digits[] = "0123456789abcdef";

static void
format_hex64 (guint64  value,
              char    *out)
{
  for (int i = 15; i >= 0; i--)
    {
      out[i] = hex_digits[value & 0xf];
      value >>= 4;
    }
}

/* Only lowercase digits are accepted: an uppercase stamp would sort apart
 * from its lowercase twin and break the string order. */
static gboolean
parse_hex64 (const char *str,
             guint64    *out_value)
{
  guint64 value = 0;

  for (int i = 0; i < 16; i++)
    {
      char c = str[i];
      guint digit;

      if (c >= '0' && c <= '9')
        digit = c - '0';
      else if (c >= 'a' && c <= 'f')
        digit = c - 'a' + 10;
      else
        return FALSE;

      value = (value << 4) | digit;
    }

  *out_value = value;
  return TRUE;
}

void
pdm_stamp_format (guint64 hlc,
                  guint64 device_id,
                  char    out[PDM_STAMP_LEN + 1])
{
  g_return_if_fail (out != NULL);

  format_hex64 (hlc, out);
  format_hex64 (device_id, out + 16);
  out[PDM_STAMP_LEN] = '\0';
}

/* A validator for stamps that arrive from the network or a file, so a NULL or
 * malformed @stamp is an answer (FALSE), not a programming error. */
gboolean
pdm_stamp_parse (const char *stamp,
                 guint64    *out_hlc,
                 guint64    *out_device_id)
{
  guint64 hlc;
  guint64 device_id;

  if (stamp == NULL || strnlen (stamp, PDM_STAMP_LEN + 1) != PDM_STAMP_LEN)
    return FALSE;

  if (!parse_hex64 (stamp, &hlc) || !parse_hex64 (stamp + 16, &device_id))
    return FALSE;

  if (out_hlc != NULL)
    *out_hlc = hlc;
  if (out_device_id != NULL)
    *out_device_id = device_id;

  return TRUE;
}

guint64
pdm_hlc_pack (gint64  wall_ms,
              guint16 counter)
{
  wall_ms = CLAMP (wall_ms, 0, PDM_HLC_MAX_WALL_MS);

  return ((guint64) wall_ms << PDM_HLC_COUNTER_BITS) | counter;
}

gint64
pdm_hlc_get_wall_ms (guint64 hlc)
{
  return (gint64) (hlc >> PDM_HLC_COUNTER_BITS);
}

guint16
pdm_hlc_get_counter (guint64 hlc)
{
  return (guint16) (hlc & PDM_HLC_COUNTER_MASK);
}

/* For the server, which refuses changes from a device whose clock is wrong.
 * Written as a difference so a huge @max_skew_ms cannot overflow. */
gboolean
pdm_hlc_is_ahead (guint64 hlc,
                  gint64  now_ms,
                  gint64  max_skew_ms)
{
  g_return_val_if_fail (max_skew_ms >= 0, FALSE);

  if (now_ms < 0)
    now_ms = 0;

  return pdm_hlc_get_wall_ms (hlc) - now_ms > max_skew_ms;
}

static gboolean
read_random (void  *buffer,
             gsize  size)
{
  guint8 *p = buffer;
  gsize done = 0;
  int fd;

#ifdef PDM_HAVE_GETRANDOM
  while (done < size)
    {
      ssize_t n = getrandom (p + done, size - done, 0);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }

  if (done == size)
    return TRUE;
  done = 0;
#endif

  /* Older kernels (ENOSYS) and sandboxes that filter the syscall. */
  fd = open ("/dev/urandom", O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    return FALSE;

  while (done < size)
    {
      ssize_t n = read (fd, p + done, size - done);

      if (n < 0 && errno == EINTR)
        continue;
      if (n <= 0)
        break;
      done += n;
    }

  close (fd);

  return done == size;
}

/* Two devices sharing an id would make their stamps collide and one of two
 * different writes be dropped as a duplicate, so the id comes from the
 * kernel's random source, never from a generator seeded by the time. */
guint64
pdm_device_id_generate (void)
{
  guint64 id = 0;

  while (id == 0)
    {
      if (!read_random (&id, sizeof id))
        {
          /* GLib seeds its global generator from /dev/urandom where it can,
           * which is the best that is left once the kernel has refused. */
          g_warning ("No kernel random source; the device id comes from GRand");
          id = ((guint64) g_random_int () << 32) | g_random_int ();
        }
    }

  return id;
}

static gint64
default_now_ms (gpointer user_data)
{
  return g_get_real_time () / 1000;
}

PdmHlc *
pdm_hlc_new (guint64 device_id,
             guint64 last_hlc)
{
  PdmHlc *self;

  g_return_val_if_fail (device_id != 0, NULL);

  self = g_new0 (PdmHlc, 1);
  g_mutex_init (&self->mutex);
  self->device_id = device_id;
  self->last = last_hlc;
  self->now_ms = default_now_ms;

  return self;
}

void
pdm_hlc_free (PdmHlc *self)
{
  if (self == NULL)
    return;

  g_mutex_clear (&self->mutex);
  g_free (self);
}

/* Tests drive the clock by hand; %NULL restores the real time. @now_ms is
 * called with the clock locked, so it must not call back into @self. */
void
pdm_hlc_set_clock_func (PdmHlc          *self,
                        PdmHlcClockFunc  now_ms,
                        gpointer         user_data)
{
  g_return_if_fail (self != NULL);

  g_mutex_lock (&self->mutex);
  self->now_ms = now_ms != NULL ? now_ms : default_now_ms;
  self->now_ms_data = now_ms != NULL ? user_data : NULL;
  g_mutex_unlock (&self->mutex);
}

guint64
pdm_hlc_get_device_id (PdmHlc *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->device_id;
}

/* The value to persist, so a restarted app never issues a smaller stamp even
 * when the PC's clock has gone back meanwhile. */
guint64
pdm_hlc_get_last (PdmHlc *self)
{
  guint64 last;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  last = self->last;
  g_mutex_unlock (&self->mutex);

  return last;
}

/* Both rules of the HLC come down to one in the packed form: the physical
 * time with counter 0 when it is ahead of everything seen, otherwise one
 * more than the greatest value seen. A counter at 65535 thus carries into the
 * milliseconds, which only moves the clock a millisecond ahead of the wall. */
static guint64
advance_locked (PdmHlc  *self,
                guint64  seen)
{
  guint64 physical = pdm_hlc_pack (self->now_ms (self->now_ms_data), 0);
  guint64 next;

  if (G_UNLIKELY (seen == G_MAXUINT64))
    {
      /* Only a corrupt persisted or remote value gets here (the year 10889);
       * standing still beats wrapping around to zero. */
      g_critical ("The hybrid logical clock is exhausted");
      next = seen;
    }
  else
    next = MAX (physical, seen + 1);

  self->last = next;

  return next;
}

guint64
pdm_hlc_tick (PdmHlc *self)
{
  guint64 next;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  next = advance_locked (self, self->last);
  g_mutex_unlock (&self->mutex);

  return next;
}

void
pdm_hlc_tick_stamp (PdmHlc *self,
                    char    out[PDM_STAMP_LEN + 1])
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (out != NULL);

  pdm_stamp_format (pdm_hlc_tick (self), self->device_id, out);
}

/* Receiving is an event too: the result exceeds both the local clock and
 * @remote_hlc, so whatever this device writes after having seen a remote
 * value carries a greater stamp than that value, whatever the wall clocks say.
 * Refusing far-future values is the caller's job (pdm_hlc_is_ahead). */
guint64
pdm_hlc_observe (PdmHlc  *self,
                 guint64  remote_hlc)
{
  guint64 next;

  g_return_val_if_fail (self != NULL, 0);

  g_mutex_lock (&self->mutex);
  next = advance_locked (self, MAX (self->last, remote_hlc));
  g_mutex_unlock (&self->mutex);

  return next;
}
