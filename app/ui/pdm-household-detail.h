/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "pdm-application.h"

G_BEGIN_DECLS

#define PDM_TYPE_HOUSEHOLD_DETAIL (pdm_household_detail_get_type ())

G_DECLARE_FINAL_TYPE (PdmHouseholdDetail, pdm_household_detail, PDM, HOUSEHOLD_DETAIL, GtkWidget)

/* Everything known about one household: its fields, its members and its
 * visits. */
void             pdm_household_detail_set_household (PdmHouseholdDetail *self,
                                                     PdmApplication     *application,
                                                     const PdmRecord    *household);
const PdmRecord *pdm_household_detail_get_household (PdmHouseholdDetail *self);
GListModel      *pdm_household_detail_get_members   (PdmHouseholdDetail *self);
GListModel      *pdm_household_detail_get_visits    (PdmHouseholdDetail *self);

G_END_DECLS
