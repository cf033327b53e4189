/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-report-util"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "pdm-error.h"
#include "pdm-report-util.h"

/* Cantarell is the GNOME interface font; "sans" stands in where it is not
 * installed. */
#define FONT_FAMILY "Cantarell, sans-serif"

/* In an order where neighbours differ in hue and in lightness, so that
 * series also part in a grey print. */
static const guint32 series_colors[] = {
  0x3584e4,  /* Blue 3 */
  0x2ec27e,  /* Green 4 */
  0xe5a50a,  /* Yellow 5 */
  0xe01b24,  /* Red 3 */
  0x9141ac,  /* Purple 3 */
  0xff7800,  /* Orange 3 */
  0x986a44,  /* Brown 3 */
  0x77767b,  /* Dark 1 */
};

guint32
_pdm_report_series_color (guint series)
{
  return series_colors[series % G_N_ELEMENTS (series_colors)];
}

void
_pdm_report_set_color (cairo_t *cr,
                       guint32  rgb,
                       double   alpha)
{
  cairo_set_source_rgba (cr,
                         ((rgb >> 16) & 0xff) / 255.0,
                         ((rgb >> 8) & 0xff) / 255.0,
                         (rgb & 0xff) / 255.0,
                         alpha);
}

/* A layout of @text in @size user units (points in the PDF), whatever the
 * resolution of the context, so a chart measures the same on paper and on
 * screen. */
PangoLayout *
_pdm_report_layout_new (cairo_t     *cr,
                        double       size,
                        PangoWeight  weight,
                        const char  *text)
{
  PangoLayout *layout = pango_cairo_create_layout (cr);
  PangoFontDescription *font = pango_font_description_from_string (FONT_FAMILY);

  pango_font_description_set_absolute_size (font, size * PANGO_SCALE);
  pango_font_description_set_weight (font, weight);
  pango_layout_set_font_description (layout, font);
  pango_font_description_free (font);
  pango_layout_set_text (layout, text != NULL ? text : "", -1);

  return layout;
}

void
_pdm_report_layout_size (PangoLayout *layout,
                         double      *width,
                         double      *height)
{
  PangoRectangle logical;

  pango_layout_get_extents (layout, NULL, &logical);
  if (width != NULL)
    *width = (double) logical.width / PANGO_SCALE;
  if (height != NULL)
    *height = (double) logical.height / PANGO_SCALE;
}

void
_pdm_report_show_layout (cairo_t     *cr,
                         PangoLayout *layout,
                         double       x,
                         double       y)
{
  cairo_move_to (cr, x, y);
  pango_cairo_show_layout (cr, layout);
}

/* The error of every writer that could not save @path, for @reason. */
void
_pdm_report_set_save_error (GError     **error,
                            const char  *path,
                            const char  *reason)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, PDM_ERROR, PDM_ERROR_FAILED,
               /* Translators: the first %s is a file path, the second the reason */
               _("The report could not be saved as %s: %s"), display, reason);
}

/**
 * _pdm_report_tmp_new:
 * @path: where the report goes
 *
 * Makes a new empty file beside @path to write the report into, so a failed
 * or cancelled export leaves a report already at @path whole.
 *
 * Returns: (transfer full): the path of the new file, or %NULL
 */
char *
_pdm_report_tmp_new (const char  *path,
                     GError     **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *name = g_strdup_printf (".%s.XXXXXX", base);
  g_autofree char *tmp_path = g_build_filename (dir, name, NULL);
  int fd;

  /* 0666 before the umask, as any file a program saves. */
  fd = g_mkstemp_full (tmp_path, O_RDWR, 0666);
  if (fd < 0)
    {
      _pdm_report_set_save_error (error, path, g_strerror (errno));
      return NULL;
    }
  g_close (fd, NULL);

  return g_steal_pointer (&tmp_path);
}

/* Puts the complete report at @path; removes @tmp_path when that fails. */
gboolean
_pdm_report_tmp_commit (const char  *tmp_path,
                        const char  *path,
                        GError     **error)
{
  if (g_rename (tmp_path, path) != 0)
    {
      int saved_errno = errno;

      g_unlink (tmp_path);
      _pdm_report_set_save_error (error, path, g_strerror (saved_errno));
      return FALSE;
    }

  return TRUE;
}
