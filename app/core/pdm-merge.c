/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "pdm-merge"

#include "config.h"

#include <string.h>

#include "pdm-hlc.h"
#include "pdm-merge.h"

struct _PdmFieldState
{
  /* The antichain, greatest stamp first: the winner is element 0, and the
   * versions a new one saw (stamp <= its base) always form the tail. */
  GPtrArray *versions;
};

G_DEFINE_BOXED_TYPE (PdmVersion, pdm_version, pdm_version_copy, pdm_version_free)
G_DEFINE_BOXED_TYPE (PdmFieldState, pdm_field_state, pdm_field_state_copy, pdm_field_state_free)

static inline gboolean
has_base (const char *base)
{
  return base != NULL && base[0] != '\0';
}

/* For versions that arrive from the network, before pdm_version_new: a base
 * at or above its own stamp would let a version "see" newer writes and beat
 * the last writer. */
gboolean
pdm_version_check_stamps (const char *stamp,
                          const char *base)
{
  if (!pdm_stamp_parse (stamp, NULL, NULL))
    return FALSE;

  if (!has_base (base))
    return TRUE;

  return pdm_stamp_parse (base, NULL, NULL) && strcmp (base, stamp) < 0;
}

PdmVersion *
pdm_version_new (const char *stamp,
                 const char *base,
                 const char *value)
{
  PdmVersion *version;

  g_return_val_if_fail (pdm_version_check_stamps (stamp, base), NULL);

  version = g_new0 (PdmVersion, 1);
  version->stamp = g_strdup (stamp);
  /* One spelling of "saw nothing", so equal versions look equal. */
  version->base = has_base (base) ? g_strdup (base) : NULL;
  version->value = g_strdup (value);

  return version;
}

PdmVersion *
pdm_version_copy (const PdmVersion *version)
{
  g_return_val_if_fail (version != NULL, NULL);

  return pdm_version_new (version->stamp, version->base, version->value);
}

void
pdm_version_free (PdmVersion *version)
{
  if (version == NULL)
    return;

  g_free (version->stamp);
  g_free (version->base);
  g_free (version->value);
  g_free (version);
}

gboolean
pdm_version_saw (const PdmVersion *version,
                 const PdmVersion *other)
{
  g_return_val_if_fail (version != NULL, FALSE);
  g_return_val_if_fail (other != NULL && other->stamp != NULL, FALSE);

  return has_base (version->base) && strcmp (version->base, other->stamp) >= 0;
}

PdmFieldState *
pdm_field_state_new (void)
{
  PdmFieldState *state = g_new0 (PdmFieldState, 1);

  state->versions = g_ptr_array_new_with_free_func ((GDestroyNotify) pdm_version_free);

  return state;
}

PdmFieldState *
pdm_field_state_copy (const PdmFieldState *state)
{
  PdmFieldState *copy;

  g_return_val_if_fail (state != NULL, NULL);

  copy = pdm_field_state_new ();
  for (guint i = 0; i < state->versions->len; i++)
    g_ptr_array_add (copy->versions, pdm_version_copy (g_ptr_array_index (state->versions, i)));

  return copy;
}

void
pdm_field_state_free (PdmFieldState *state)
{
  if (state == NULL)
    return;

  g_ptr_array_unref (state->versions);
  g_free (state);
}

/* How many leading versions of the sorted @versions are above @stamp. */
static guint
count_above (GPtrArray  *versions,
             const char *stamp)
{
  guint n = 0;

  while (n < versions->len
         && strcmp (((const PdmVersion *) g_ptr_array_index (versions, n))->stamp, stamp) > 0)
    n++;

  return n;
}

gboolean
pdm_field_state_merge (PdmFieldState    *state,
                       const PdmVersion *incoming)
{
  GPtrArray *versions;

  g_return_val_if_fail (state != NULL, FALSE);
  g_return_val_if_fail (incoming != NULL, FALSE);
  g_return_val_if_fail (pdm_version_check_stamps (incoming->stamp, incoming->base), FALSE);

  versions = state->versions;

  /* Already known, or knowingly replaced by a known version. */
  for (guint i = 0; i < versions->len; i++)
    {
      const PdmVersion *known = g_ptr_array_index (versions, i);

      if (strcmp (known->stamp, incoming->stamp) == 0 || pdm_version_saw (known, incoming))
        return FALSE;
    }

  /* What the incoming version knowingly replaced: the tail. */
  if (has_base (incoming->base))
    g_ptr_array_set_size (versions, count_above (versions, incoming->base));

  g_ptr_array_insert (versions, count_above (versions, incoming->stamp),
                      pdm_version_copy (incoming));

  return TRUE;
}

/* TRUE when @into changed. */
gboolean
pdm_field_state_merge_state (PdmFieldState       *into,
                             const PdmFieldState *from)
{
  gboolean changed = FALSE;

  g_return_val_if_fail (into != NULL, FALSE);
  g_return_val_if_fail (from != NULL, FALSE);

  for (guint i = 0; i < from->versions->len; i++)
    changed |= pdm_field_state_merge (into, g_ptr_array_index (from->versions, i));

  return changed;
}

/* Drops the conflicts: last writer wins, nothing is kept for a person. */
void
pdm_field_state_keep_winner (PdmFieldState *state)
{
  g_return_if_fail (state != NULL);

  g_ptr_array_set_size (state->versions, MIN (state->versions->len, 1));
}

gboolean
pdm_field_state_is_empty (const PdmFieldState *state)
{
  g_return_val_if_fail (state != NULL, TRUE);

  return state->versions->len == 0;
}

/* NULL while nothing was ever written. */
const PdmVersion *
pdm_field_state_get_winner (const PdmFieldState *state)
{
  g_return_val_if_fail (state != NULL, NULL);

  if (state->versions->len == 0)
    return NULL;

  return g_ptr_array_index (state->versions, 0);
}

guint
pdm_field_state_get_n_conflicts (const PdmFieldState *state)
{
  g_return_val_if_fail (state != NULL, 0);

  return state->versions->len > 0 ? state->versions->len - 1 : 0;
}

/* Conflicts come newest first, so every replica lists them alike. */
const PdmVersion *
pdm_field_state_get_conflict (const PdmFieldState *state,
                              guint                index_)
{
  g_return_val_if_fail (state != NULL, NULL);
  g_return_val_if_fail (index_ < pdm_field_state_get_n_conflicts (state), NULL);

  return g_ptr_array_index (state->versions, index_ + 1);
}

/* Same set of stamps; both arrays are sorted, so order cannot differ. */
gboolean
pdm_field_state_equal (const PdmFieldState *a,
                       const PdmFieldState *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a->versions->len != b->versions->len)
    return FALSE;

  for (guint i = 0; i < a->versions->len; i++)
    {
      const PdmVersion *va = g_ptr_array_index (a->versions, i);
      const PdmVersion *vb = g_ptr_array_index (b->versions, i);

      if (strcmp (va->stamp, vb->stamp) != 0)
        return FALSE;
    }

  return TRUE;
}
