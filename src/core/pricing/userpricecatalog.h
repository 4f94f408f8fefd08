#pragma once

#include "pricecatalog.h"

#include <QSet>
#include <QString>

namespace relaybench {

// The user's own catalogue entries, kept apart from the shipped resources/prices.json so that an
// update of RelayBench never loses them: DATA/prices.user.json (util/datadirectory.h), format
// {"schema": "relaybench.user-prices/1", "models": [entries as in prices.json], "hidden": ["id", ...]}.
// An entry with a shipped id overrides the shipped one (the user wins); `hidden` removes shipped ids.
class UserPriceCatalog
{
public:
    static QString defaultPath(); // DATA/prices.user.json

    explicit UserPriceCatalog(QString path = defaultPath());

    // A missing file is an empty catalogue, not an error.
    bool load(QString *error);
    // Writes atomically (QSaveFile), creating the folder.
    bool save(QString *error) const;

    const QString &path() const { return m_path; }
    const PriceCatalog &entries() const { return m_entries; }
    QStringList hiddenIds() const;

    // Adds an entry or edits one (a shipped id: the user's version wins from now on); un-hides its id.
    void upsert(const CatalogEntry &entry);
    // Deletes the user's entry (a shipped one with that id shows again); false when there was none.
    bool remove(const QString &id);
    // Hides a shipped entry from the merged catalogue (deleting it, as the user sees it) / shows it again.
    void hide(const QString &id);
    void unhide(const QString &id);
    // Adds or replaces every entry of an import (LiteLLM, or an exported catalogue).
    void importCatalog(const PriceCatalog &catalog);

    // `base` (the shipped catalogue) with the user's entries over it and the hidden ids taken out.
    PriceCatalog mergedOver(const PriceCatalog &base) const;

private:
    QString m_path;
    PriceCatalog m_entries;
    QSet<QString> m_hidden;
};

// What the app and the CLI price with: shipped + the user's file. A broken user file is reported in
// `warning` and left out (the shipped prices still work).
PriceCatalog effectivePriceCatalog(QString *warning);

} // namespace relaybench
