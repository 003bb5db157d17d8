#include "daemon/push/ping_requests.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <pugixml.hpp>
#include <sstream>

#include "feeds/core/dates.h"

namespace feedd {
namespace {

std::string FormEscape(const std::string& value) {
  char* escaped = curl_easy_escape(nullptr, value.data(), static_cast<int>(value.size()));
  if (!escaped) return "";
  std::string out(escaped);
  curl_free(escaped);
  return out;
}

void StringParam(pugi::xml_node params, const std::string& text) {
  params.append_child("param")
      .append_child("value")
      .append_child("string")
      .append_child(pugi::node_pcdata)
      .set_value(text.c_str());
}

// An XML-RPC <value>'s text: <value><string>x</string></value>, another
// scalar type, or an untyped <value>x</value>.
std::string ValueText(const pugi::xml_node& value) {
  const pugi::xml_node typed = value.first_child();
  std::string text =
      typed && typed.type() == pugi::node_element ? typed.child_value() : value.child_value();
  const auto space = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
  text.erase(text.begin(), std::find_if_not(text.begin(), text.end(), space));
  text.erase(std::find_if_not(text.rbegin(), text.rend(), space).base(), text.end());
  return text;
}

std::string Member(const pugi::xml_node& root, const char* name) {
  const pugi::xpath_node value =
      root.select_node((std::string(".//member[name='") + name + "']/value").c_str());
  return value ? ValueText(value.node()) : std::string();
}

}  // namespace

std::string PublishForm(const std::vector<std::string>& topics) {
  std::string form = "hub.mode=publish";
  for (const std::string& topic : topics) form += "&hub.url=" + FormEscape(topic);
  return form;
}

std::string ExtendedPingCall(const std::string& site_name, const std::string& site_url,
                             const std::string& changed_url, const std::string& feed_url) {
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node call = doc.append_child("methodCall");
  call.append_child("methodName")
      .append_child(pugi::node_pcdata)
      .set_value("weblogUpdates.extendedPing");
  pugi::xml_node params = call.append_child("params");
  StringParam(params, site_name);
  StringParam(params, site_url);
  StringParam(params, changed_url);
  StringParam(params, feed_url);
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw);
  return out.str();
}

std::optional<std::string> XmlRpcFailure(std::string_view response) {
  pugi::xml_document doc;
  if (!doc.load_buffer(response.data(), response.size())) return "not an XML-RPC response";
  const pugi::xml_node root = doc.child("methodResponse");
  if (!root) return "not an XML-RPC response";
  if (root.child("fault")) return "fault: " + Member(root.child("fault"), "faultString");
  if (!root.select_node(".//member[name='flerror']")) return "no flerror in the response";
  const std::string flerror = Member(root, "flerror");
  if (flerror == "0" || flerror == "false") return std::nullopt;
  const std::string message = Member(root, "message");
  return message.empty() ? "flerror" : "flerror: " + message;
}

PingOutcome OutcomeOf(long status) {
  if (status >= 200 && status < 300) return PingOutcome::kDelivered;
  if (status == 0 || status == 408 || status == 429 || status >= 500) return PingOutcome::kRetry;
  return PingOutcome::kGiveUp;
}

std::chrono::milliseconds RetryDelay(int attempts, std::chrono::milliseconds min_delay,
                                     std::chrono::milliseconds max_delay, double jitter,
                                     std::optional<std::chrono::seconds> retry_after) {
  const double base = static_cast<double>(min_delay.count()) *
                      std::pow(2.0, static_cast<double>(std::clamp(attempts, 1, 40) - 1));
  const double capped = std::min(base, static_cast<double>(max_delay.count()));
  const double jittered = capped * (0.8 + 0.4 * std::clamp(jitter, 0.0, 1.0));
  auto delay = std::chrono::milliseconds(static_cast<long long>(jittered));
  if (retry_after) delay = std::max<std::chrono::milliseconds>(delay, *retry_after);
  return delay;
}

std::optional<std::chrono::seconds> ParseRetryAfter(std::string_view value, UnixTime now) {
  while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
  while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
  long long seconds = 0;
  const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
  if (!value.empty() && ec == std::errc() && end == value.data() + value.size() && seconds >= 0) {
    return std::chrono::seconds(std::min<long long>(seconds, 24 * 3600));
  }
  if (const std::optional<UnixTime> date = ParseHttpDate(value)) {
    return std::chrono::seconds(std::clamp<long long>(*date - now, 0, 24 * 3600));
  }
  return std::nullopt;
}

}  // namespace feedd
