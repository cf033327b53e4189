/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A change stamp: 16 lowercase hex digits of the packed hybrid logical clock
 * followed by 16 of the device id. The width is fixed so that plain string
 * comparison (strcmp, SQLite TEXT) orders stamps by (hlc, device id), the
 * last-writer-wins order every replica agrees on. */
#define PDM_STAMP_LEN 32

/* A packed HLC holds milliseconds since the Unix epoch in its high 48 bits and
 * a logical counter in its low 16 bits. */
#define PDM_HLC_COUNTER_BITS 16
#define PDM_HLC_COUNTER_MASK G_GUINT64_CONSTANT (0xffff)
#define PDM_HLC_MAX_WALL_MS  ((gint64) (G_MAXUINT64 >> PDM_HLC_COUNTER_BITS))

typedef gint64 (*PdmHlcClockFunc) (gpointer user_data);

typedef struct _PdmHlc PdmHlc;

void      pdm_stamp_format        (guint64          hlc,
                                   guint64          device_id,
                                   char             out[PDM_STAMP_LEN + 1]);
gboolean  pdm_stamp_parse         (const char      *stamp,
                                   guint64         *out_hlc,
                                   guint64         *out_device_id);

guint64   pdm_hlc_pack            (gint64           wall_ms,
                                   guint16          counter);
gint64    pdm_hlc_get_wall_ms     (guint64          hlc);
guint16   pdm_hlc_get_counter     (guint64          hlc);
gboolean  pdm_hlc_is_ahead        (guint64          hlc,
                                   gint64           now_ms,
                                   gint64           max_skew_ms);

guint64   pdm_device_id_generate  (void);

PdmHlc   *pdm_hlc_new             (guint64          device_id,
                                   guint64          last_hlc);
void      pdm_hlc_free            (PdmHlc          *self);
void      pdm_hlc_set_clock_func  (PdmHlc          *self,
                                   PdmHlcClockFunc  now_ms,
                                   gpointer         user_data);
guint64   pdm_hlc_get_device_id   (PdmHlc          *self);
guint64   pdm_hlc_get_last        (PdmHlc          *self);
guint64   pdm_hlc_tick            (PdmHlc          *self);
void      pdm_hlc_tick_stamp      (PdmHlc          *self,
                                   char             out[PDM_STAMP_LEN + 1]);
guint64   pdm_hlc_observe         (PdmHlc          *self,
                                   guint64          remote_hlc);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PdmHlc, pdm_hlc_free)

G_END_DECLS
