/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-report-window"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-chart-view.h"
#include "pdm-error.h"
#include "pdm-report-pdf.h"
#include "pdm-report-window.h"
#include "pdm-ui-util.h"
#include "pdm-report-xlsx.h"
#include "pdm-util.h"

/* A report on screen, as the PDF prints it: the title and the details,
 * then each section with its paragraphs, its chart and its table; and its
 * export to a PDF, a workbook or a CSV file, written in a worker thread. */

/* A long table scrolls within the page under its own header, which stays
 * in sight, rather than pushing the rest of the report a screen away. */
#define TABLE_MAX_HEIGHT 420

/* The separator of Excel in Indonesian settings, where the decimal mark is
 * a comma. */
#define CSV_SEPARATOR ';'

typedef enum
{
  FORMAT_PDF,
  FORMAT_XLSX,
  FORMAT_CSV,
} FormatId;

typedef struct
{
  FormatId    id;
  const char *name;       /* the action's target and the file's suffix */
  const char *mime_type;
  const char *filter_name;
  const char *chooser_title;
} ExportFormat;

static const ExportFormat formats[] = {
  { FORMAT_PDF, "pdf", "application/pdf",
    N_("PDF documents"), N_("Export Report as PDF") },
  { FORMAT_XLSX, "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    N_("Excel workbooks"), N_("Export Report as Excel Workbook") },
  { FORMAT_CSV, "csv", "text/csv",
    N_("CSV spreadsheets"), N_("Export Report as CSV") },
};

/* What a worker thread needs: its own reference to the document, which
 * nothing changes once it is shown, so reading it from two threads is safe. */
typedef struct
{
  PdmReportDoc       *doc;
  const ExportFormat *format;
  GFile              *file;
  char               *path;
} ExportJob;

struct _PdmReportWindow
{
  AdwWindow             parent_instance;

  PdmReportDoc         *doc;
  GtkFileChooserNative *chooser;
  const ExportFormat   *chooser_format;
  /* Set while an export runs. */
  GCancellable         *cancellable;
  /* What the last export came to, while it shows (a weak pointer). */
  AdwToast             *result_toast;

  AdwWindowTitle       *window_title;
  GtkMenuButton        *export_button;
  AdwToastOverlay      *toast_overlay;
  GtkScrolledWindow    *scrolled_window;
  GtkBox               *content_box;
  GtkRevealer          *progress_revealer;
  GtkSpinner           *progress_spinner;
  GtkLabel             *progress_label;
  GtkButton            *cancel_button;
};

G_DEFINE_FINAL_TYPE (PdmReportWindow, pdm_report_window, ADW_TYPE_WINDOW)

static GQuark footer_quark;

static const ExportFormat *
lookup_format (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    if (g_strcmp0 (formats[i].name, name) == 0)
      return &formats[i];

  return NULL;
}

static void
export_job_free (gpointer data)
{
  ExportJob *job = data;

  pdm_report_doc_unref (job->doc);
  g_object_unref (job->file);
  g_free (job->path);
  g_free (job);
}

/* --- the document ---------------------------------------------------- */

static GtkWidget *
text_label_new (const char *text,
                const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);

  return label;
}

/* A heading a screen reader can jump to. */
static GtkWidget *
heading_new (const char *text,
             const char *css_class,
             int         level)
{
  GtkWidget *label = g_object_new (GTK_TYPE_LABEL,
                                   "accessible-role", GTK_ACCESSIBLE_ROLE_HEADING,
                                   "label", text,
                                   "wrap", TRUE,
                                   "wrap-mode", PANGO_WRAP_WORD_CHAR,
                                   "xalign", 0.0f,
                                   NULL);

  gtk_widget_add_css_class (label, css_class);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LEVEL, level,
                                  -1);

  return label;
}

static GtkWidget *
title_block_new (PdmReportDoc *doc)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  const char *subtitle = pdm_report_doc_get_subtitle (doc);
  guint n_details = pdm_report_doc_get_n_details (doc);

  gtk_box_append (GTK_BOX (box), heading_new (pdm_report_doc_get_title (doc), "title-1", 1));
  if (subtitle != NULL)
    gtk_box_append (GTK_BOX (box), text_label_new (subtitle, "title-4"));

  if (n_details > 0)
    {
      GtkWidget *grid = gtk_grid_new ();

      gtk_grid_set_column_spacing (GTK_GRID (grid), 18);
      gtk_grid_set_row_spacing (GTK_GRID (grid), 6);
      gtk_widget_set_margin_top (grid, 12);
      for (guint i = 0; i < n_details; i++)
        {
          GtkWidget *label = text_label_new (pdm_report_doc_get_detail_label (doc, i),
                                             "dim-label");
          GtkWidget *value = text_label_new (pdm_report_doc_get_detail_value (doc, i), NULL);

          gtk_label_set_yalign (GTK_LABEL (label), 0);
          gtk_widget_set_hexpand (value, TRUE);
          gtk_accessible_update_relation (GTK_ACCESSIBLE (value),
                                          GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL,
                                          -1);
          gtk_grid_attach (GTK_GRID (grid), label, 0, i, 1, 1);
          gtk_grid_attach (GTK_GRID (grid), value, 1, i, 1, 1);
        }
      gtk_box_append (GTK_BOX (box), grid);
    }

  return box;
}

/* The cells of row @row as the report prints them: "1.234", "72,5%". */
static GtkStringList *
table_row_new (PdmReportTable *table,
               guint           row)
{
  GtkStringList *cells = gtk_string_list_new (NULL);

  for (guint c = 0; c < pdm_report_table_get_n_columns (table); c++)
    gtk_string_list_take (cells, pdm_report_table_format_cell (table, row, c));
  if (row == PDM_REPORT_FOOTER_ROW)
    g_object_set_qdata (G_OBJECT (cells), footer_quark, GINT_TO_POINTER (TRUE));

  return cells;
}

typedef struct
{
  guint    column;
  float    xalign;
  gboolean numeric;
} CellSpec;

static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               CellSpec                 *spec)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), spec->xalign);
  if (spec->numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (list_item, label);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              CellSpec                 *spec)
{
  GtkStringList *cells = gtk_list_item_get_item (list_item);
  GtkLabel *label = GTK_LABEL (gtk_list_item_get_child (list_item));
  g_autoptr(PangoAttrList) attributes = NULL;

  /* The footer ("Rata-rata") is bold, as in the PDF. */
  if (g_object_get_qdata (G_OBJECT (cells), footer_quark) != NULL)
    {
      attributes = pango_attr_list_new ();
      pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
    }
  gtk_label_set_attributes (label, attributes);
  gtk_label_set_label (label, gtk_string_list_get_string (cells, spec->column));
}

static GtkColumnViewColumn *
table_column_new (PdmReportTable *table,
                  guint           column)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  CellSpec *spec = g_new0 (CellSpec, 1);
  PdmReportKind kind = pdm_report_table_get_kind (table, column);
  GtkColumnViewColumn *view_column;

  spec->column = column;
  switch (pdm_report_table_get_align (table, column))
    {
    case PDM_REPORT_ALIGN_CENTER:
      spec->xalign = 0.5f;
      break;
    case PDM_REPORT_ALIGN_END:
      spec->xalign = 1.0f;
      break;
    case PDM_REPORT_ALIGN_START:
    default:
      spec->xalign = 0.0f;
      break;
    }
  /* Digits of one width line up in a column. */
  spec->numeric = kind != PDM_REPORT_KIND_TEXT;

  g_object_set_data_full (G_OBJECT (factory), "pdm-cell-spec", spec, g_free);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), spec);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), spec);

  view_column = gtk_column_view_column_new (pdm_report_table_get_header (table, column), factory);
  gtk_column_view_column_set_resizable (view_column, TRUE);
  /* Names take the room that numbers leave. */
  gtk_column_view_column_set_expand (view_column, kind == PDM_REPORT_KIND_TEXT);

  return view_column;
}

static GtkWidget *
table_view_new (PdmReportTable *table,
                const char     *heading)
{
  g_autoptr(GListStore) rows = g_list_store_new (GTK_TYPE_STRING_LIST);
  GtkNoSelection *selection;
  GtkWidget *view;
  GtkWidget *scrolled;
  GtkWidget *frame;

  for (guint r = 0; r < pdm_report_table_get_n_rows (table); r++)
    {
      g_autoptr(GtkStringList) cells = table_row_new (table, r);

      g_list_store_append (rows, cells);
    }
  if (pdm_report_table_has_footer (table))
    {
      g_autoptr(GtkStringList) cells = table_row_new (table, PDM_REPORT_FOOTER_ROW);

      g_list_store_append (rows, cells);
    }

  selection = gtk_no_selection_new (G_LIST_MODEL (g_steal_pointer (&rows)));
  view = gtk_column_view_new (GTK_SELECTION_MODEL (selection));
  gtk_column_view_set_show_row_separators (GTK_COLUMN_VIEW (view), TRUE);
  gtk_column_view_set_show_column_separators (GTK_COLUMN_VIEW (view), TRUE);
  gtk_widget_add_css_class (view, "data-table");
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, heading,
                                  -1);

  for (guint c = 0; c < pdm_report_table_get_n_columns (table); c++)
    {
      g_autoptr(GtkColumnViewColumn) view_column = table_column_new (table, c);

      gtk_column_view_append_column (GTK_COLUMN_VIEW (view), view_column);
    }

  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_AUTOMATIC,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), TABLE_MAX_HEIGHT);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);

  frame = gtk_frame_new (NULL);
  gtk_frame_set_child (GTK_FRAME (frame), scrolled);

  return frame;
}

static GtkWidget *
section_new (PdmReportDoc     *doc,
             PdmReportSection *section)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  const char *heading = pdm_report_section_get_heading (section);
  PdmReportChart *chart = pdm_report_section_get_chart (section);
  PdmReportTable *table = pdm_report_section_get_table (section);

  gtk_box_append (GTK_BOX (box), heading_new (heading, "title-2", 2));
  for (guint i = 0; i < pdm_report_section_get_n_paragraphs (section); i++)
    gtk_box_append (GTK_BOX (box),
                    text_label_new (pdm_report_section_get_paragraph (section, i), NULL));
  if (chart != NULL)
    gtk_box_append (GTK_BOX (box), pdm_chart_view_new (doc, chart));
  if (table != NULL && pdm_report_table_get_n_columns (table) > 0)
    gtk_box_append (GTK_BOX (box), table_view_new (table, heading));

  return box;
}

static void
show_doc (PdmReportWindow *self)
{
  g_autofree char *day = pdm_format_day (pdm_report_doc_get_created (self->doc));
  g_autofree char *created = NULL;

  gtk_window_set_title (GTK_WINDOW (self), pdm_report_doc_get_title (self->doc));
  /* Translators: under the title of a report, %s is a date as in "28 November 2026" */
  created = g_strdup_printf (_("Created %s"), day);
  adw_window_title_set_subtitle (self->window_title, created);

  gtk_box_append (self->content_box, title_block_new (self->doc));
  for (guint i = 0; i < pdm_report_doc_get_n_sections (self->doc); i++)
    gtk_box_append (self->content_box,
                    section_new (self->doc, pdm_report_doc_get_section (self->doc, i)));
}

/* --- export ----------------------------------------------------------- */

/* Shows what an export came to. A toast waits for the one before it to go,
 * and the result of an earlier export is stale once another one starts. */
static void
show_result (PdmReportWindow *self,
             AdwToast        *toast)
{
  g_set_weak_pointer (&self->result_toast, toast);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
dismiss_result (PdmReportWindow *self)
{
  if (self->result_toast != NULL)
    adw_toast_dismiss (self->result_toast);
  g_clear_weak_pointer (&self->result_toast);
}

/* An error stays until it is dismissed: it is something to act on. */
static void
show_error (PdmReportWindow *self,
            const GError    *error)
{
  AdwToast *toast = pdm_toast_new (error->message);

  if (!g_error_matches (error, PDM_ERROR, PDM_ERROR_CANCELLED) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    adw_toast_set_timeout (toast, 0);
  show_result (self, toast);
}

static void
show_progress (PdmReportWindow *self,
               const ExportJob *job)
{
  gboolean busy = job != NULL;

  if (busy)
    {
      g_autofree char *name = g_filename_display_basename (job->path);
      /* Translators: while a report is written, %s is a file name */
      g_autofree char *text = g_strdup_printf (_("Saving “%s”…"), name);

      gtk_label_set_label (self->progress_label, text);
      /* The workbook and the CSV take a moment; only the PDF, which lays
       * out every page twice, can take long enough to change one's mind. */
      gtk_widget_set_visible (GTK_WIDGET (self->cancel_button), job->format->id == FORMAT_PDF);
    }

  gtk_spinner_set_spinning (self->progress_spinner, busy);
  gtk_revealer_set_reveal_child (self->progress_revealer, busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.export", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.cancel-export", busy);
}

static void
show_saved (PdmReportWindow *self,
            const ExportJob *job)
{
  g_autofree char *name = g_filename_display_basename (job->path);
  g_autofree char *uri = g_file_get_uri (job->file);
  g_autofree char *title = NULL;
  AdwToast *toast;

  /* Translators: %s is the name of the file a report was saved in */
  title = g_strdup_printf (_("Saved to “%s”"), name);
  toast = pdm_toast_new (title);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_button_label (toast, _("_Open"));
  adw_toast_set_action_name (toast, "report.open-file");
  adw_toast_set_action_target_value (toast, g_variant_new_string (uri));
  show_result (self, toast);
}

static void
export_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  ExportJob *job = task_data;
  GError *error = NULL;
  gboolean ok = FALSE;

  switch (job->format->id)
    {
    case FORMAT_PDF:
      ok = pdm_report_doc_write_pdf (job->doc, job->path, cancellable, &error);
      break;
    case FORMAT_XLSX:
      ok = pdm_report_doc_write_xlsx (job->doc, job->path, &error);
      break;
    case FORMAT_CSV:
      ok = pdm_report_doc_write_csv (job->doc, job->path, CSV_SEPARATOR, &error);
      break;
    default:
      g_assert_not_reached ();
    }

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
export_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  PdmReportWindow *self = PDM_REPORT_WINDOW (object);
  ExportJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gboolean ok;

  ok = g_task_propagate_boolean (G_TASK (result), &error);
  g_clear_object (&self->cancellable);

  /* Closed while it wrote: its widgets are gone. */
  if (self->toast_overlay == NULL)
    return;

  show_progress (self, NULL);
  if (ok)
    show_saved (self, job);
  else
    show_error (self, error);
}

/**
 * pdm_report_window_export:
 * @file: where to save the report; a file there is replaced once the new
 *   one is complete, and is left as it was when the export fails
 * @format: "pdf", "xlsx" or "csv" (semicolons, as Excel in Indonesian
 *   settings reads it)
 *
 * Writes the report in a worker thread, shows that it does and then says
 * where it went, or why it could not, in a toast. What choosing a file in
 * the export chooser does.
 */
void
pdm_report_window_export (PdmReportWindow *self,
                          GFile           *file,
                          const char      *format)
{
  const ExportFormat *export_format;
  g_autoptr(GTask) task = NULL;
  ExportJob *job;
  char *path;

  g_return_if_fail (PDM_IS_REPORT_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));
  export_format = lookup_format (format);
  g_return_if_fail (export_format != NULL);
  g_return_if_fail (self->cancellable == NULL);

  dismiss_result (self);
  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (&error, PDM_ERROR, PDM_ERROR_FAILED,
                   /* Translators: %s is where a person chose to save a report */
                   _("The report could not be saved as %s: only folders of this computer "
                     "can hold it"), name);
      show_error (self, error);
      return;
    }

  job = g_new0 (ExportJob, 1);
  job->doc = pdm_report_doc_ref (self->doc);
  job->format = export_format;
  job->file = g_object_ref (file);
  job->path = path;

  self->cancellable = g_cancellable_new ();
  show_progress (self, job);

  task = g_task_new (self, self->cancellable, export_done_cb, NULL);
  g_task_set_source_tag (task, pdm_report_window_export);
  g_task_set_task_data (task, job, export_job_free);
  /* A PDF finished just as Cancel was pressed is saved: say so. */
  g_task_set_check_cancellable (task, FALSE);
  g_task_run_in_thread (task, export_thread);
}

/* While an export is written. */
gboolean
pdm_report_window_is_exporting (PdmReportWindow *self)
{
  g_return_val_if_fail (PDM_IS_REPORT_WINDOW (self), FALSE);

  return self->cancellable != NULL;
}

/* "Evaluasi Pelatihan Dasar PSM 2026-11-28.pdf": a name that says what
 * the file is, with a date that sorts. */
static char *
suggest_file_name (PdmReportWindow    *self,
                   const ExportFormat *format)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *day = g_date_time_format (now, "%Y-%m-%d");
  g_autofree char *title = g_strdup (pdm_report_doc_get_title (self->doc));

  /* What Windows and the FAT of a USB stick refuse in a name. */
  g_strdelimit (title, "/\\:*?\"<>|", '-');

  return g_strdup_printf ("%s %s.%s", g_strstrip (title), day, format->name);
}

static void
on_chooser_response_cb (PdmReportWindow *self,
                        int              response)
{
  g_autoptr(GtkFileChooserNative) chooser = g_steal_pointer (&self->chooser);
  g_autoptr(GFile) file = NULL;

  if (response != GTK_RESPONSE_ACCEPT)
    return;

  file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL && self->cancellable == NULL)
    pdm_report_window_export (self, file, self->chooser_format->name);
}

static void
export_activated (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  PdmReportWindow *self = PDM_REPORT_WINDOW (widget);
  const ExportFormat *format = lookup_format (g_variant_get_string (parameter, NULL));
  g_autoptr(GtkFileFilter) filter = NULL;
  g_autofree char *name = NULL;
  const char *documents;

  if (format == NULL || self->chooser != NULL || self->cancellable != NULL)
    return;

  self->chooser = gtk_file_chooser_native_new (_(format->chooser_title), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"),
                                               _("_Cancel"));
  self->chooser_format = format;

  filter = gtk_file_filter_new ();
  gtk_file_filter_set_name (filter, _(format->filter_name));
  gtk_file_filter_add_mime_type (filter, format->mime_type);
  gtk_file_filter_add_suffix (filter, format->name);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->chooser), filter);

  documents = g_get_user_special_dir (G_USER_DIRECTORY_DOCUMENTS);
  if (documents != NULL && g_file_test (documents, G_FILE_TEST_IS_DIR))
    {
      g_autoptr(GFile) folder = g_file_new_for_path (documents);

      gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (self->chooser), folder, NULL);
    }
  name = suggest_file_name (self, format);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);

  g_signal_connect_object (self->chooser, "response", G_CALLBACK (on_chooser_response_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
export_menu_activated (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  gtk_menu_button_popup (PDM_REPORT_WINDOW (widget)->export_button);
}

static void
cancel_export_activated (GtkWidget  *widget,
                         const char *action_name,
                         GVariant   *parameter)
{
  PdmReportWindow *self = PDM_REPORT_WINDOW (widget);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
}

static void
open_done_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  PdmReportWindow *self = PDM_REPORT_WINDOW (object);
  g_autoptr(GError) error = NULL;

  if (!gtk_show_uri_full_finish (GTK_WINDOW (self), result, &error) &&
      self->toast_overlay != NULL)
    show_error (self, error);
}

/* The toast's Open: the saved file in the program the desktop opens it with. */
static void
open_file_activated (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  gtk_show_uri_full (GTK_WINDOW (widget), g_variant_get_string (parameter, NULL),
                     GDK_CURRENT_TIME, NULL, open_done_cb, NULL);
}

/* --- the window --------------------------------------------------------- */

/**
 * pdm_report_window_new:
 * @doc: the report to show; nothing may change it any more, as the window
 *   reads it from worker threads to export it
 *
 * Returns: (transfer none): a new window of @application showing @doc
 */
PdmReportWindow *
pdm_report_window_new (PdmApplication *application,
                       PdmReportDoc   *doc)
{
  PdmReportWindow *self;

  g_return_val_if_fail (PDM_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (doc != NULL, NULL);

  self = g_object_new (PDM_TYPE_REPORT_WINDOW,
                       "application", application,
                       NULL);
  self->doc = pdm_report_doc_ref (doc);
  show_doc (self);

  return self;
}

/* Returns: (transfer none): the report the window shows */
PdmReportDoc *
pdm_report_window_get_doc (PdmReportWindow *self)
{
  g_return_val_if_fail (PDM_IS_REPORT_WINDOW (self), NULL);

  return self->doc;
}

static void
pdm_report_window_dispose (GObject *object)
{
  PdmReportWindow *self = PDM_REPORT_WINDOW (object);

  /* A PDF being written stops, and its file is not left half done. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  if (self->chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
  g_clear_object (&self->chooser);
  g_clear_weak_pointer (&self->result_toast);
  gtk_widget_dispose_template (GTK_WIDGET (self), PDM_TYPE_REPORT_WINDOW);

  G_OBJECT_CLASS (pdm_report_window_parent_class)->dispose (object);
}

static void
pdm_report_window_finalize (GObject *object)
{
  PdmReportWindow *self = PDM_REPORT_WINDOW (object);

  g_clear_pointer (&self->doc, pdm_report_doc_unref);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (pdm_report_window_parent_class)->finalize (object);
}

static void
pdm_report_window_class_init (PdmReportWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = pdm_report_window_dispose;
  object_class->finalize = pdm_report_window_finalize;

  footer_quark = g_quark_from_static_string ("pdm-report-footer");

  gtk_widget_class_set_template_from_resource (widget_class,
                                               PDM_RESOURCE_BASE_PATH
                                               "/ui/pdm-report-window.ui");
  gtk_widget_class_bind_template_child (widget_class, PdmReportWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, PdmReportWindow, export_button);
  gtk_widget_class_bind_template_child (widget_class, PdmReportWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, PdmReportWindow, scrolled_window);
  gtk_widget_class_bind_template_child (widget_class, PdmReportWindow, content_box);
  gtk_widget_class_bind_template_child (widget_class, PdmReportWindow, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, PdmReportWindow, progress_spinner);
  gtk_widget_class_bind_template_child (widget_class, PdmReportWindow, progress_label);
  gtk_widget_class_bind_template_child (widget_class, PdmReportWindow, cancel_button);

  gtk_widget_class_install_action (widget_class, "report.export", "s", export_activated);
  gtk_widget_class_install_action (widget_class, "report.export-menu", NULL,
                                   export_menu_activated);
  gtk_widget_class_install_action (widget_class, "report.cancel-export", NULL,
                                   cancel_export_activated);
  gtk_widget_class_install_action (widget_class, "report.open-file", "s", open_file_activated);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "report.export-menu", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_p, GDK_CONTROL_MASK,
                                       "report.export", "s", "pdf");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0,
                                       "report.cancel-export", NULL);
}

static void
pdm_report_window_init (PdmReportWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "report.cancel-export", FALSE);

  if (g_strcmp0 (PDM_PROFILE, "development") == 0)
    gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
}
