#include "feeds/parse/front_matter.h"

#include <toml++/toml.h>
#include <yaml-cpp/yaml.h>

#include <map>
#include <optional>
#include <vector>

#include "feeds/core/dates.h"

namespace feedd {
namespace {

// One front matter value, whatever language it came from.
struct Field {
  std::vector<std::string> values;  // a scalar is a list of one
  bool is_list = false;
  int line = 0;  // in the file
};
using Fields = std::map<std::string, Field>;

constexpr int kHeaderFirstLine = 2;  // line 1 is the opening fence

bool IsFence(std::string_view line, std::string_view fence) {
  while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
  return line == fence;
}

// --- YAML -------------------------------------------------------------------

bool ReadYaml(std::string_view header, const std::string& file, Fields* fields,
              Problems* problems) {
  // yaml-cpp reports problems by throwing, while loading and while
  // converting (a key that is not a scalar, "? :", throws on as<>()):
  // every one of them is a problem with this file, never a crash.
  try {
    const YAML::Node root = YAML::Load(std::string(header));
    if (root.IsNull()) return true;
    if (!root.IsMap()) {
      problems->push_back({file, kHeaderFirstLine, Severity::kError,
                           "front matter must be a map of keys to values"});
      return false;
    }
    for (const auto& kv : root) {
      if (!kv.first.IsScalar()) {
        problems->push_back({file, kHeaderFirstLine + kv.first.Mark().line, Severity::kError,
                             "front matter keys must be plain words"});
        return false;
      }
      const std::string key = kv.first.as<std::string>();
      const YAML::Node& value = kv.second;
      Field field;
      field.line = kHeaderFirstLine + value.Mark().line;
      if (value.IsSequence()) {
        field.is_list = true;
        for (const auto& item : value) {
          if (!item.IsScalar()) {
            problems->push_back({file, field.line, Severity::kError,
                                 "front matter '" + key + "' must be a list of strings"});
            return false;
          }
          field.values.push_back(item.as<std::string>());
        }
      } else if (value.IsScalar()) {
        field.values.push_back(value.as<std::string>());
      } else if (value.IsNull()) {
        continue;
      } else {
        field.values.clear();  // a map: only meaningful for keys we ignore
        field.is_list = true;
      }
      (*fields)[key] = std::move(field);
    }
    return true;
  } catch (const YAML::Exception& e) {
    problems->push_back({file, e.mark.is_null() ? kHeaderFirstLine : kHeaderFirstLine + e.mark.line,
                         Severity::kError, "invalid YAML front matter: " + e.msg});
    return false;
  }
}

// --- TOML -------------------------------------------------------------------

std::optional<std::string> TomlScalar(const toml::node& node) {
  if (auto s = node.value<std::string>()) return *s;
  if (node.is_boolean()) return *node.value<bool>() ? "true" : "false";
  if (node.is_integer()) return std::to_string(*node.value<int64_t>());
  if (node.is_floating_point()) return std::to_string(*node.value<double>());
  auto two = [](int v) { return (v < 10 ? "0" : "") + std::to_string(v); };
  auto date = [&](const toml::date& d) {
    return std::to_string(d.year) + "-" + two(d.month) + "-" + two(d.day);
  };
  auto time = [&](const toml::time& t) {
    return two(t.hour) + ":" + two(t.minute) + ":" + two(t.second);
  };
  if (auto d = node.value<toml::date>()) return date(*d);
  if (auto dt = node.value<toml::date_time>()) {
    std::string out = date(dt->date) + "T" + time(dt->time);
    if (dt->offset) {
      const int m = dt->offset->minutes;
      out += (m < 0 ? "-" : "+") + two(std::abs(m) / 60) + ":" + two(std::abs(m) % 60);
    }
    return out;
  }
  return std::nullopt;
}

bool ReadToml(std::string_view header, const std::string& file, Fields* fields,
              Problems* problems) {
  toml::table root;
  try {
    root = toml::parse(header);
  } catch (const toml::parse_error& e) {
    problems->push_back({file, kHeaderFirstLine - 1 + static_cast<int>(e.source().begin.line),
                         Severity::kError,
                         "invalid TOML front matter: " + std::string(e.description())});
    return false;
  }
  for (const auto& [key, node] : root) {
    Field field;
    field.line = kHeaderFirstLine - 1 + static_cast<int>(node.source().begin.line);
    if (const toml::array* arr = node.as_array()) {
      field.is_list = true;
      for (const toml::node& item : *arr) {
        auto s = TomlScalar(item);
        if (!s) {
          problems->push_back(
              {file, field.line, Severity::kError,
               "front matter '" + std::string(key.str()) + "' must be a list of strings"});
          return false;
        }
        field.values.push_back(*s);
      }
    } else if (auto s = TomlScalar(node)) {
      field.values.push_back(*s);
    } else {
      field.is_list = true;  // a table: only meaningful for keys we ignore
    }
    (*fields)[std::string(key.str())] = std::move(field);
  }
  return true;
}

// --- Mapping to Article -----------------------------------------------------

class FieldMapper {
 public:
  FieldMapper(const Fields& fields, const std::string& file, Problems* problems)
      : fields_(fields), file_(file), problems_(problems) {}

  // Copies the first present key of |keys| as one string; false when none
  // is present or the value is unusable.
  bool String(std::initializer_list<const char*> keys, std::string* out) {
    const Field* f = Find(keys);
    if (!f) return false;
    if (f->is_list || f->values.size() != 1) {
      Fail(*f, "must be a single value, not a list");
      return false;
    }
    *out = f->values[0];
    return true;
  }

  // Copies a list; a single string counts as a list of one.
  void List(std::initializer_list<const char*> keys, std::vector<std::string>* out) {
    const Field* f = Find(keys);
    if (!f) return;
    out->clear();
    for (const std::string& v : f->values) {
      if (!v.empty()) out->push_back(v);
    }
  }

  void Date(std::initializer_list<const char*> keys, std::optional<UnixTime>* out) {
    std::string text;
    const Field* f = Find(keys);
    if (!f) return;
    String(keys, &text);
    if (text.empty()) return;
    if (auto t = ParseDate(text)) {
      *out = t;
    } else {
      Fail(*f,
           "is not a date (expected e.g. 2026-03-01 or 2026-03-01T14:30:00+06:00): '" + text + "'");
    }
  }

  void Bool(std::initializer_list<const char*> keys, bool* out) {
    std::string text;
    const Field* f = Find(keys);
    if (!f) return;
    String(keys, &text);
    if (text == "true" || text == "yes") {
      *out = true;
    } else if (text == "false" || text == "no") {
      *out = false;
    } else {
      Fail(*f, "must be true or false");
    }
  }

  bool ok() const { return ok_; }

 private:
  const Field* Find(std::initializer_list<const char*> keys) {
    for (const char* k : keys) {
      auto it = fields_.find(k);
      if (it != fields_.end()) {
        current_key_ = k;
        return &it->second;
      }
    }
    return nullptr;
  }

  void Fail(const Field& f, const std::string& what) {
    problems_->push_back(
        {file_, f.line, Severity::kError, "front matter '" + current_key_ + "' " + what});
    ok_ = false;
  }

  const Fields& fields_;
  const std::string& file_;
  Problems* problems_;
  std::string current_key_;
  bool ok_ = true;
};

}  // namespace

FrontMatterSplit SplitFrontMatter(std::string_view text) {
  FrontMatterSplit split;
  split.body = text;
  // A UTF-8 byte order mark is not content.
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3), split.body = text;
  const std::size_t first_end = text.find('\n');
  if (first_end == std::string_view::npos) return split;
  const std::string_view first = text.substr(0, first_end);
  std::string_view fence;
  if (IsFence(first, "---")) {
    fence = "---", split.kind = FrontMatterKind::kYaml;
  } else if (IsFence(first, "+++")) {
    fence = "+++", split.kind = FrontMatterKind::kToml;
  } else {
    return split;
  }
  std::size_t pos = first_end + 1;
  int line = 2;
  while (pos <= text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view current = text.substr(pos, end - pos);
    if (IsFence(current, fence) ||
        (split.kind == FrontMatterKind::kYaml && IsFence(current, "..."))) {
      split.header = text.substr(first_end + 1, pos - first_end - 1);
      split.body = end < text.size() ? text.substr(end + 1) : std::string_view();
      split.body_first_line = line + 1;
      return split;
    }
    pos = end + 1;
    ++line;
  }
  split.unterminated = true;
  return split;
}

bool ApplyFrontMatter(const FrontMatterSplit& split, const std::string& file, Article* a,
                      Problems* problems) {
  if (split.kind == FrontMatterKind::kNone) return true;
  if (split.unterminated) {
    problems->push_back({file, 1, Severity::kError,
                         std::string("front matter opened with '") +
                             (split.kind == FrontMatterKind::kYaml ? "---" : "+++") +
                             "' is never closed"});
    return false;
  }
  Fields fields;
  const bool parsed = split.kind == FrontMatterKind::kYaml
                          ? ReadYaml(split.header, file, &fields, problems)
                          : ReadToml(split.header, file, &fields, problems);
  if (!parsed) return false;

  FieldMapper map(fields, file, problems);
  map.String({"title"}, &a->title);
  map.Date({"date"}, &a->date);
  map.Date({"lastmod", "updated"}, &a->lastmod);
  map.List({"authors", "author"}, &a->authors);
  map.String({"role"}, &a->author_role);
  map.List({"categories", "category"}, &a->categories);
  map.List({"tags"}, &a->tags);
  if (map.String({"summary", "description"}, &a->summary)) a->summary_from_front_matter = true;
  map.String({"slug"}, &a->slug);
  map.String({"id", "guid"}, &a->explicit_id);
  map.Bool({"draft"}, &a->draft);
  map.String({"image"}, &a->image_url);
  map.String({"credit"}, &a->image_credit);
  map.String({"link", "url"}, &a->link);
  map.String({"language", "lang"}, &a->language);
  return map.ok();
}

}  // namespace feedd
