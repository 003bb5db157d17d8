// config/listen_address.h
//
// An address to listen on, as server.listen and --listen write it:
// "ADDR:PORT", or "[V6ADDR]:PORT" for IPv6.
//
// Thread safety: pure.

#ifndef FEEDD_CONFIG_LISTEN_ADDRESS_H_
#define FEEDD_CONFIG_LISTEN_ADDRESS_H_

#include <optional>
#include <string>

namespace feedd {

struct ListenAddress {
  std::string host;  ///< without brackets
  unsigned short port;
};

/// "127.0.0.1:8080", "[::1]:0", "localhost:80"; nullopt when malformed.
std::optional<ListenAddress> ParseListenAddress(const std::string& text);

}  // namespace feedd

#endif  // FEEDD_CONFIG_LISTEN_ADDRESS_H_
