/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"
#include "pdm-record-editor.h"
#include "pdm-record-item.h"
#include "pdm-record-list-model.h"

G_BEGIN_DECLS

/* What the list pages share: their toasts, editors, deletes with undo and
 * kelurahan filter. A page installs "list.undo-delete" (a string: the id)
 * and calls pdm_page_undo_delete() from it. */
typedef enum
{
  PDM_CELL_NUMERIC = 1 << 0,    /* tabular figures */
  PDM_CELL_END     = 1 << 1,    /* aligned to the end, as counts are */
  PDM_CELL_TOOLTIP = 1 << 2,    /* the whole text where the column cuts it */
} PdmCellFlags;

/* The text of column @column for @item, or NULL. */
typedef char *(*PdmCellTextFunc) (gpointer       page,
                                  guint          column,
                                  PdmRecordItem *item);

void      pdm_page_set_text_column    (GtkColumnViewColumn *view_column,
                                       guint               column,
                                       PdmCellFlags        flags,
                                       PdmCellTextFunc     text_func,
                                       gpointer            page);
GtkSingleSelection *
          pdm_page_set_list_model     (GtkColumnView      *view,
                                       GListModel         *model);
void      pdm_page_follow_model       (PdmRecordListModel *model,
                                       GCallback           update_state,
                                       gpointer            page,
                                       AdwToastOverlay    *overlay);
void      pdm_page_show_error         (AdwToastOverlay    *overlay,
                                       const GError       *error);
void      pdm_page_show_warnings      (AdwToastOverlay    *overlay,
                                       const char * const *warnings);
void      pdm_page_present_editor     (GtkWidget          *page,
                                       PdmRecordEditor    *editor,
                                       GCallback           saved_cb);
gboolean  pdm_page_delete             (GtkWidget          *page,
                                       PdmApplication     *application,
                                       AdwToastOverlay    *overlay,
                                       PdmTable            table,
                                       const char         *id,
                                       const char         *title,
                                       AdwToast          **undo_toast);
void      pdm_page_undo_delete        (PdmApplication     *application,
                                       AdwToastOverlay    *overlay,
                                       PdmTable            table,
                                       GVariant           *id,
                                       AdwToast          **undo_toast);
void      pdm_page_fill_kelurahan     (GtkDropDown        *dropdown,
                                       PdmRegions         *regions,
                                       GPtrArray          *codes);
void      pdm_page_select_kelurahan   (GtkDropDown        *dropdown,
                                       GSettings          *settings,
                                       GPtrArray          *codes);
GtkFileChooserNative *
          pdm_page_new_csv_chooser    (GtkWindow          *parent,
                                       const char         *title,
                                       GtkFileChooserAction action,
                                       const char         *accept_label);

G_END_DECLS
