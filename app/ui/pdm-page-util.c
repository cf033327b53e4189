/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-page-util"

#include "config.h"

#include <glib/gi18n.h>

#include "pdm-page-util.h"
#include "pdm-ui-util.h"

typedef struct
{
  guint            column;
  PdmCellFlags     flags;
  PdmCellTextFunc  text_func;
  gpointer         page;
} CellColumn;

/* The whole text where the column cuts it. Set when asked rather than at
 * each bind: in GTK 4.8 setting a tooltip asks the X server where the
 * pointer is, and a list binds hundreds of cells. */
static gboolean
on_query_tooltip_cb (GtkInscription *cell,
                     int             x,
                     int             y,
                     gboolean        keyboard_mode,
                     GtkTooltip     *tooltip)
{
  const char *text = gtk_inscription_get_text (cell);
  g_autoptr(PangoLayout) layout = NULL;
  int width;

  if (text == NULL)
    return FALSE;

  layout = gtk_widget_create_pango_layout (GTK_WIDGET (cell), text);
  pango_layout_get_pixel_size (layout, &width, NULL);
  if (width <= gtk_widget_get_width (GTK_WIDGET (cell)))
    return FALSE;

  gtk_tooltip_set_text (tooltip, text);

  return TRUE;
}

/* GtkInscription rather than GtkLabel: it takes its size from the font
 * and lays its text out only to draw it, where a label lays it out again
 * for each size asked, and GTK 4.8 builds 200 rows of cells at once. */
static void
setup_cell_cb (GtkSignalListItemFactory *factory,
               GtkListItem              *list_item,
               CellColumn               *cell)
{
  GtkWidget *inscription = g_object_new (GTK_TYPE_INSCRIPTION,
                                         "xalign", (cell->flags & PDM_CELL_END) != 0 ? 1.0f : 0.0f,
                                         "text-overflow", GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END,
                                         NULL);

  if ((cell->flags & PDM_CELL_NUMERIC) != 0)
    gtk_widget_add_css_class (inscription, "numeric");
  if ((cell->flags & PDM_CELL_TOOLTIP) != 0)
    {
      gtk_widget_set_has_tooltip (inscription, TRUE);
      g_signal_connect (inscription, "query-tooltip", G_CALLBACK (on_query_tooltip_cb), NULL);
    }
  gtk_list_item_set_child (list_item, inscription);
  g_object_set_data (G_OBJECT (list_item), "pdm-cell", cell);
}

static void
show_cell_text (GtkListItem *list_item)
{
  CellColumn *cell = g_object_get_data (G_OBJECT (list_item), "pdm-cell");
  PdmRecordItem *item = gtk_list_item_get_item (list_item);
  g_autofree char *text = NULL;

  /* A pending row is empty until its record is read. */
  if (item != NULL && pdm_record_item_get_record (item) != NULL)
    text = cell->text_func (cell->page, cell->column, item);

  gtk_inscription_set_text (GTK_INSCRIPTION (gtk_list_item_get_child (list_item)), text);
}

/* The row was read, or read again after a write. */
static void
on_record_read_cb (PdmRecordItem *item,
                   GParamSpec    *pspec,
                   GtkListItem   *list_item)
{
  show_cell_text (list_item);
}

static void
bind_cell_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *list_item,
              CellColumn               *cell)
{
  PdmRecordItem *item = gtk_list_item_get_item (list_item);

  show_cell_text (list_item);
  if (item != NULL)
    g_signal_connect_object (item, "notify::record", G_CALLBACK (on_record_read_cb), list_item,
                             0);
}

static void
unbind_cell_cb (GtkSignalListItemFactory *factory,
                GtkListItem              *list_item,
                CellColumn               *cell)
{
  PdmRecordItem *item = gtk_list_item_get_item (list_item);

  if (item != NULL)
    g_signal_handlers_disconnect_by_func (item, on_record_read_cb, list_item);
}

/* Column @column of a page's list shows @text_func's text, on one line;
 * @page must outlive the column view. */
void
pdm_page_set_text_column (GtkColumnViewColumn *view_column,
                          guint                column,
                          PdmCellFlags         flags,
                          PdmCellTextFunc      text_func,
                          gpointer             page)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  CellColumn *cell = g_new0 (CellColumn, 1);

  g_return_if_fail (GTK_IS_COLUMN_VIEW_COLUMN (view_column));
  g_return_if_fail (text_func != NULL);

  cell->column = column;
  cell->flags = flags;
  cell->text_func = text_func;
  cell->page = page;
  g_object_set_data_full (G_OBJECT (factory), "pdm-cell", cell, g_free);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell_cb), cell);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell_cb), cell);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cell_cb), cell);
  gtk_column_view_column_set_factory (view_column, factory);
  g_object_unref (factory);
}

/* @view shows @model; a row is selected only by a person, for Delete.
 * Returns: (transfer full): the selection */
GtkSingleSelection *
pdm_page_set_list_model (GtkColumnView *view,
                         GListModel    *model)
{
  GtkSingleSelection *selection;

  g_return_val_if_fail (GTK_IS_COLUMN_VIEW (view), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  selection = gtk_single_selection_new (g_object_ref (model));
  gtk_single_selection_set_autoselect (selection, FALSE);
  gtk_single_selection_set_can_unselect (selection, TRUE);
  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (selection));

  return selection;
}

/* A list page follows its PdmRecordListModel: @update_state (called with
 * @page) when its rows change or it starts or stops reading, and a toast
 * on @overlay when a read fails. */
void
pdm_page_follow_model (PdmRecordListModel *model,
                       GCallback           update_state,
                       gpointer            page,
                       AdwToastOverlay    *overlay)
{
  g_return_if_fail (PDM_IS_RECORD_LIST_MODEL (model));
  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));

  g_signal_connect_object (model, "items-changed", update_state, page, G_CONNECT_SWAPPED);
  g_signal_connect_object (model, "notify::loading", update_state, page, G_CONNECT_SWAPPED);
  g_signal_connect_object (model, "read-failed", G_CALLBACK (pdm_page_show_error), overlay,
                           G_CONNECT_SWAPPED);
}

/* An error stays until it is dismissed: it is something to act on. */
void
pdm_page_show_error (AdwToastOverlay *overlay,
                     const GError    *error)
{
  AdwToast *toast;

  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));
  g_return_if_fail (error != NULL);

  toast = pdm_toast_new (error->message);
  adw_toast_set_timeout (toast, 0);
  adw_toast_overlay_add_toast (overlay, toast);
}

/* What the rules found suspicious in a saved record. */
void
pdm_page_show_warnings (AdwToastOverlay    *overlay,
                        const char * const *warnings)
{
  g_return_if_fail (ADW_IS_TOAST_OVERLAY (overlay));

  for (guint i = 0; warnings != NULL && warnings[i] != NULL; i++)
    {
      AdwToast *toast = pdm_toast_new (warnings[i]);

      adw_toast_set_timeout (toast, 10);
      adw_toast_overlay_add_toast (overlay, toast);
    }
}

/* Shows @editor over @page's window; @saved_cb gets @page first. */
void
pdm_page_present_editor (GtkWidget       *page,
                         PdmRecordEditor *editor,
                         GCallback        saved_cb)
{
  g_return_if_fail (GTK_IS_WIDGET (page));
  g_return_if_fail (PDM_IS_RECORD_EDITOR (editor));

  if (saved_cb != NULL)
    g_signal_connect_object (editor, "saved", saved_cb, page, G_CONNECT_SWAPPED);
  gtk_window_set_transient_for (GTK_WINDOW (editor), GTK_WINDOW (gtk_widget_get_root (page)));
  gtk_window_present (GTK_WINDOW (editor));
}

/* Deletes the record @id of @table and offers to undo it in a toast
 * titled @title, kept in *@undo_toast (a weak pointer) while it shows. */
gboolean
pdm_page_delete (GtkWidget        *page,
                 PdmApplication   *application,
                 AdwToastOverlay  *overlay,
                 PdmTable          table,
                 const char       *id,
                 const char       *title,
                 AdwToast        **undo_toast)
{
  PdmRepository *repository;
  g_autoptr(GError) error = NULL;
  AdwToast *toast;

  g_return_val_if_fail (GTK_IS_WIDGET (page), FALSE);
  g_return_val_if_fail (PDM_IS_APPLICATION (application), FALSE);
  g_return_val_if_fail (id != NULL && undo_toast != NULL, FALSE);

  repository = pdm_application_get_repository (application);
  if (repository == NULL)
    return FALSE;

  if (!pdm_repository_delete (repository, table, id, &error))
    {
      pdm_page_show_error (overlay, error);
      return FALSE;
    }

  toast = pdm_toast_new (title);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "list.undo-delete");
  adw_toast_set_action_target_value (toast, g_variant_new_string (id));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  g_set_weak_pointer (undo_toast, toast);
  adw_toast_overlay_add_toast (overlay, toast);

  pdm_application_records_changed (application, table);

  return TRUE;
}

/* Brings back the record @id (a string variant) of @table. */
void
pdm_page_undo_delete (PdmApplication   *application,
                      AdwToastOverlay  *overlay,
                      PdmTable          table,
                      GVariant         *id,
                      AdwToast        **undo_toast)
{
  PdmRepository *repository;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (PDM_IS_APPLICATION (application));
  g_return_if_fail (g_variant_is_of_type (id, G_VARIANT_TYPE_STRING));

  repository = pdm_application_get_repository (application);
  if (repository == NULL)
    return;

  if (!pdm_repository_restore (repository, table, g_variant_get_string (id, NULL), &error))
    {
      pdm_page_show_error (overlay, error);
      return;
    }

  if (*undo_toast != NULL)
    adw_toast_dismiss (*undo_toast);
  pdm_application_records_changed (application, table);
}

/* "All kelurahan" and each kelurahan; @codes gets the code of each item,
 * NULL for all of them. */
void
pdm_page_fill_kelurahan (GtkDropDown *dropdown,
                         PdmRegions  *regions,
                         GPtrArray   *codes)
{
  const char * const *kelurahan = pdm_regions_get_kelurahan (regions);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);

  g_return_if_fail (GTK_IS_DROP_DOWN (dropdown));

  gtk_string_list_append (names, _("All kelurahan"));
  g_ptr_array_add (codes, NULL);
  for (guint i = 0; kelurahan[i] != NULL; i++)
    {
      gtk_string_list_append (names, pdm_regions_get_name (regions, kelurahan[i]));
      g_ptr_array_add (codes, g_strdup (kelurahan[i]));
    }
  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (names));
}

/* The device's kelurahan, or all of them for the Dinas. */
void
pdm_page_select_kelurahan (GtkDropDown *dropdown,
                           GSettings   *settings,
                           GPtrArray   *codes)
{
  g_autofree char *code = g_settings_get_string (settings, "kelurahan-code");
  guint position = 0;

  g_return_if_fail (GTK_IS_DROP_DOWN (dropdown));

  if (!g_settings_get_boolean (settings, "dinas-mode"))
    for (guint i = 1; i < codes->len; i++)
      if (g_strcmp0 (g_ptr_array_index (codes, i), code) == 0)
        position = i;

  gtk_drop_down_set_selected (dropdown, position);
}

/* A file chooser for the DTSEN spreadsheets, which travel as CSV. */
GtkFileChooserNative *
pdm_page_new_csv_chooser (GtkWindow            *parent,
                          const char           *title,
                          GtkFileChooserAction  action,
                          const char           *accept_label)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  g_return_val_if_fail (GTK_IS_WINDOW (parent), NULL);

  chooser = gtk_file_chooser_native_new (title, parent, action, accept_label, _("_Cancel"));
  gtk_file_filter_set_name (filter, _("CSV spreadsheets"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);

  return chooser;
}
