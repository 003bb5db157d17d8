#include "config/address_range.h"

#include <arpa/inet.h>

#include <charconv>
#include <string>

namespace feedd {

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  const std::string s(text);
  IpAddress a;
  if (::inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) {
    a.v4 = true;
    return a;
  }
  if (::inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
  static constexpr std::uint8_t kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
  if (std::equal(std::begin(kMapped), std::end(kMapped), a.bytes.begin())) {
    IpAddress v4;
    std::copy(a.bytes.begin() + 12, a.bytes.end(), v4.bytes.begin());
    v4.v4 = true;
    return v4;
  }
  return a;
}

bool AddressRange::Contains(const IpAddress& address) const {
  if (address.v4 != base.v4) return false;
  int bits = prefix;
  for (std::size_t i = 0; bits > 0; ++i, bits -= 8) {
    const std::uint8_t mask = bits >= 8 ? 0xff : static_cast<std::uint8_t>(0xff << (8 - bits));
    if ((address.bytes[i] & mask) != (base.bytes[i] & mask)) return false;
  }
  return true;
}

std::optional<AddressRange> ParseAddressRange(std::string_view text) {
  const std::size_t slash = text.find('/');
  AddressRange range;
  const auto base = ParseIpAddress(text.substr(0, slash));
  if (!base) return std::nullopt;
  range.base = *base;
  const int max = base->v4 ? 32 : 128;
  range.prefix = max;
  if (slash != std::string_view::npos) {
    const std::string_view bits = text.substr(slash + 1);
    const auto [end, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), range.prefix);
    if (bits.empty() || ec != std::errc() || end != bits.data() + bits.size() || range.prefix < 0 ||
        range.prefix > max) {
      return std::nullopt;
    }
  }
  return range;
}

bool AnyContains(const std::vector<AddressRange>& ranges, const IpAddress& address) {
  for (const AddressRange& range : ranges) {
    if (range.Contains(address)) return true;
  }
  return false;
}

}  // namespace feedd
