/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"

G_BEGIN_DECLS

#define PDM_TYPE_HOUSEHOLD_PAGE (pdm_household_page_get_type ())

G_DECLARE_FINAL_TYPE (PdmHouseholdPage, pdm_household_page, PDM, HOUSEHOLD_PAGE, GtkWidget)

/* The Rumah Tangga page: the searchable, filtered list of households and
 * the detail of one. Its actions are in the "list" group (list.find,
 * list.new, list.delete, list.back, list.undo-delete) as on every list
 * page, and "household" (household.edit, household.delete,
 * household.add-member, household.add-visit, household.propose) for the
 * household shown. */
void             pdm_household_page_set_application   (PdmHouseholdPage *self,
                                                       PdmApplication   *application);
GListModel      *pdm_household_page_get_model         (PdmHouseholdPage *self);
const char      *pdm_household_page_get_state         (PdmHouseholdPage *self);
const PdmRecord *pdm_household_page_get_shown         (PdmHouseholdPage *self);
void             pdm_household_page_show_household    (PdmHouseholdPage *self,
                                                       const char       *id);
GtkWidget       *pdm_household_page_get_detail        (PdmHouseholdPage *self);
AdwToast        *pdm_household_page_get_undo_toast    (PdmHouseholdPage *self);
const char      *pdm_household_page_get_kelurahan_code (PdmHouseholdPage *self);

G_END_DECLS
