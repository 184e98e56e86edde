#pragma once

// Byte-level facts about a YAML stream that the parser (yaml_tree.cc) needs around libyaml: line
// and character counts as libyaml makes them (its marks count characters, not bytes), the bytes
// libyaml's reader rejects, and where documents start, so that one bad byte or syntax error does
// not take the rest of the stream down with it.

#include <yaml.h>

#include <cstddef>
#include <string_view>

namespace istio_lint::model::yaml::stream {

/// Line breaks in bytes[from, to) counted as libyaml counts them: LF, CR LF and a lone CR.
size_t countLineBreaks(std::string_view bytes, size_t from, size_t to);

/// libyaml's marks count characters (code points), not bytes, and leave out a byte order mark at
/// the start of its input: the byte offset in `bytes` of character `chars` of the input starting
/// at `offset` (bytes.size() when the input is shorter).
size_t byteAtChar(std::string_view bytes, size_t offset, size_t chars);

/// A libyaml-style mark for byte `pos` of the input starting at `offset`: line and column
/// (0-based, relative to bytes[offset..]), column and index in characters.
yaml_mark_t markAt(std::string_view bytes, size_t offset, size_t pos);

/// The offset of the first byte at or after `from` that libyaml's reader rejects: not UTF-8
/// (malformed, overlong, a surrogate) or a character YAML does not allow (NUL and other control
/// characters); npos when there is none.
size_t firstRejectedByte(std::string_view b, size_t from);

/// The first UTF-8 byte order mark at or after `from` (and after the start of the input) that
/// begins a line at a document boundary: right before a `---` or `...` line, or right after one.
/// YAML allows a BOM before each document; libyaml only at the start of the stream, and files
/// joined with `cat` often carry one in the middle. npos when there is none.
size_t nextDocumentBom(std::string_view bytes, size_t from);

/// The start of the last `---` line after `offset` and at or before `pos`; `offset` when none.
size_t lastDocumentStart(std::string_view bytes, size_t offset, size_t pos);

/// Where parsing resumes after the document at bytes[offset..] was given up at `pos`: the start of
/// the first line at or after the line of `pos` that starts a document (`---`), or npos.
size_t nextDocumentStart(std::string_view bytes, size_t offset, size_t pos);

}  // namespace istio_lint::model::yaml::stream
