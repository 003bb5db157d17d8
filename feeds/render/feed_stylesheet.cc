#include "feeds/render/feed_stylesheet.h"

#include "feeds/core/routes.h"

namespace feedd {

std::string FeedStylesheetHref(const SiteInfo& site) { return Route::Stylesheet().Reference(site); }

const std::string& FeedStylesheet() {
  static const std::string kStylesheet = R"XSL(<?xml version="1.0" encoding="utf-8"?>
<!-- Shows an RSS 2.0 or Atom 1.0 feed as a readable page in a browser.
     Served by feedd; feed readers ignore it. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:atom="http://www.w3.org/2005/Atom"
    exclude-result-prefixes="atom">
  <xsl:output method="html" encoding="utf-8" doctype-system="about:legacy-compat"/>

  <xsl:template match="/">
    <xsl:variable name="title" select="rss/channel/title | atom:feed/atom:title"/>
    <html>
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="$title"/> (web feed)</title>
        <style>
          :root { color-scheme: light dark; }
          body { font: 1.05rem/1.55 system-ui, sans-serif; max-width: 46rem; margin: 0 auto; padding: 1rem; }
          h1 { line-height: 1.2; }
          .meta { font-size: 0.9rem; color: GrayText; }
          .subscribe { border: 1px solid GrayText; border-radius: 0.4rem; padding: 0.5rem 1rem; }
          code { word-break: break-all; }
        </style>
      </head>
      <body>
        <h1><xsl:value-of select="$title"/></h1>
        <p><xsl:value-of select="rss/channel/description | atom:feed/atom:subtitle"/></p>
        <div class="subscribe">
          <p>This is a web feed. Copy its address into your feed reader to subscribe:</p>
          <p><code><xsl:value-of select="rss/channel/atom:link[@rel='self']/@href | atom:feed/atom:link[@rel='self']/@href"/></code></p>
        </div>
        <ol>
          <xsl:apply-templates select="rss/channel/item | atom:feed/atom:entry"/>
        </ol>
      </body>
    </html>
  </xsl:template>

  <!-- An RSS item or an Atom entry: each has only one of each pair. -->
  <xsl:template match="item | atom:entry">
    <li>
      <h2><a href="{link | atom:link[@rel='alternate']/@href}"><xsl:value-of select="title | atom:title"/></a></h2>
      <p class="meta"><xsl:value-of select="pubDate | atom:published"/></p>
      <p><xsl:value-of select="description | atom:summary"/></p>
    </li>
  </xsl:template>
</xsl:stylesheet>
)XSL";
  return kStylesheet;
}

}  // namespace feedd
