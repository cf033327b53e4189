/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"
#include "pdm-window.h"

G_BEGIN_DECLS

#define PDM_TEST_WAIT_MS 10000
/* Campago Ipuh, the kelurahan the UI tests work for. */
#define PDM_TEST_KELURAHAN "13.75.02.1002"

/* One running app per test, in its own data folder. */
typedef struct
{
  PdmApplication *application;
  PdmWindow      *window;
  char           *data_dir;
} PdmTestUi;

void            pdm_test_ui_init            (int         *argc,
                                             char      ***argv);
PdmApplication *pdm_test_ui_new_application (void);
void            pdm_test_ui_start           (PdmTestUi   *fixture,
                                             const char  *server_url,
                                             const char  *kelurahan_code);
gboolean        pdm_test_ui_window_is_mapped (gpointer fixture);
void            pdm_test_ui_stop            (PdmTestUi   *fixture);
GdkTexture     *pdm_test_ui_render          (GtkWidget   *widget);
void            pdm_test_ui_save_screenshot (GtkWidget   *widget,
                                             const char  *name);
GtkWindow      *pdm_test_ui_find_window     (PdmApplication *application,
                                             GType        type);
GObject        *pdm_test_ui_get_child       (gpointer     widget,
                                             const char  *name);
void            pdm_test_ui_activate_until_closed (GtkWindow  *window,
                                                   const char *action);
void            pdm_test_ui_set_window_size (GtkWindow   *window,
                                             int          width,
                                             int          height);
void            pdm_test_ui_wait_listed     (GListModel  *list);
GtkWidget      *pdm_test_ui_find_row_button (GtkWidget   *widget,
                                             const char  *title_part,
                                             const char  *mnemonic);
GtkWidget      *pdm_test_ui_find_widget     (GtkWidget   *widget,
                                             gboolean   (*matches) (GtkWidget    *widget,
                                                                    gconstpointer data),
                                             gconstpointer data);
PdmRecord      *pdm_test_ui_save_record     (PdmTestUi   *fixture,
                                             PdmTable     table,
                                             const char  *first_field,
                                             ...) G_GNUC_NULL_TERMINATED;

G_END_DECLS
