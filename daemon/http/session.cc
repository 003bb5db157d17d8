#include "daemon/http/session_impl.h"

namespace feedd::http {

void ShutdownSend(boost::beast::tcp_stream& stream, boost::beast::error_code& ec) {
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_send, ec);
}

void CloseStream(boost::beast::tcp_stream& stream, boost::beast::error_code& ec) {
  stream.socket().close(ec);
}

template class BasicSession<boost::beast::tcp_stream>;

}  // namespace feedd::http
