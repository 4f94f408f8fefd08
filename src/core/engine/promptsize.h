#pragma once

#include <QJsonArray>

namespace relaybench {

// The characters of text in a messages array (string contents and the "text" of content parts): the base of
// the token estimate the engine uses when a server reports no usage (about 4 characters a token, plus 4 tokens
// a message), and of the pre-run estimate, which must agree with it.
int messageContentChars(const QJsonArray &messages);

} // namespace relaybench
