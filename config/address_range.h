// config/address_range.h
//
// IP addresses and ranges in CIDR notation ("10.0.0.0/8", "::1", "::/0"),
// for the config's allow lists. Text is parsed by inet_pton; an IPv4 address
// mapped into IPv6 ("::ffff:10.1.2.3") is the IPv4 address.
//
// Thread safety: values; pure functions.

#ifndef FEEDD_CONFIG_ADDRESS_RANGE_H_
#define FEEDD_CONFIG_ADDRESS_RANGE_H_

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace feedd {

struct IpAddress {
  std::array<std::uint8_t, 16> bytes{};  ///< IPv4: the first 4
  bool v4 = false;
};

/// nullopt when |text| is not an IPv4 or IPv6 address.
std::optional<IpAddress> ParseIpAddress(std::string_view text);

struct AddressRange {
  IpAddress base;
  int prefix = 0;  ///< leading bits that must match

  bool Contains(const IpAddress& address) const;
};

/// "ADDR/BITS" or "ADDR" (a single address); nullopt when malformed.
std::optional<AddressRange> ParseAddressRange(std::string_view text);

/// Whether any of |ranges| contains |address|.
bool AnyContains(const std::vector<AddressRange>& ranges, const IpAddress& address);

}  // namespace feedd

#endif  // FEEDD_CONFIG_ADDRESS_RANGE_H_
