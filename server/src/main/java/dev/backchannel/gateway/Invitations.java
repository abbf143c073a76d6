package dev.backchannel.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.backchannel.model.ErrorCode;
import dev.backchannel.store.AuditEntry;
import dev.backchannel.store.Invitation;
import dev.backchannel.store.RoomInfo;
import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Personal invitations (organizer): {@code POST /api/rooms/{slug}/invites} issues them, {@code GET}
 * lists them as JSON, CSV for a mail merge, or a printable HTML sheet with a QR code each. The
 * store keeps each one hashed (to look a join up) and sealed (to list it again).
 */
final class Invitations {

  static final int MAX_COUNT = 20_000;
  /** Invitations per page of the printable sheet: a QR code each is a few kilobytes. */
  static final int SHEET_PAGE = 200;

  private final Gateway gateway;
  private final Callers callers;
  private final Replies replies;
  private final Clock clock;

  Invitations(Gateway gateway, Callers callers, Replies replies, Clock clock) {
    this.gateway = gateway;
    this.callers = callers;
    this.replies = replies;
    this.clock = clock;
  }

  void mount(Router router, BodyHandler body) {
    router.post("/api/rooms/:slug/invites").handler(body).handler(this::issue);
    router.get("/api/rooms/:slug/invites").handler(this::list);
  }

  /** One invitation as the organizer sees it: the invitation, the audience link carrying it, whether it was used. */
  record Listed(String invite, String link, boolean used) {}

  record Issued(List<String> invites) {}

  record Listing(int count, int used, List<Listed> invites) {}

  private void issue(RoutingContext ctx) {
    String slug = Requests.slug(ctx);
    JsonNode req = Requests.body(gateway, ctx);
    JsonNode count = req.get("count");
    if (count == null || !count.canConvertToInt() || !count.isIntegralNumber()
        || count.intValue() < 1 || count.intValue() > MAX_COUNT) {
      throw ErrorCode.INVALID.failure("count must be an integer from 1 to " + MAX_COUNT);
    }
    int n = count.intValue();
    replies.respond(ctx, 201, callers.organizerOf(ctx, slug)
        // Sealing and hashing 20,000 invitations takes a while: off the event loop.
        .compose(room -> ctx.vertx().executeBlocking(() -> make(n), false))
        .compose(made -> gateway.store().invite(slug, made.stored()).map(total -> made))
        .compose(made -> gateway.store().audit(slug, new AuditEntry(clock.instant(), "organizer", "invites", null, null,
            Integer.toString(n))).map(v -> made))
        .map(made -> {
          gateway.log().event("room.invited", "room", slug, "count", Integer.toString(n));
          return new Issued(made.plain());
        }));
  }

  private record Made(List<String> plain, List<Invitation> stored) {}

  private Made make(int n) {
    List<String> plain = new ArrayList<>(n);
    List<Invitation> stored = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String invite = JoinCodes.newInvite();
      plain.add(invite);
      stored.add(new Invitation(JoinCodes.hash(invite), gateway.sealer().seal(JoinCodes.SEAL_INVITE, invite), null));
    }
    return new Made(plain, stored);
  }

  private void list(RoutingContext ctx) {
    String slug = Requests.slug(ctx);
    String format = ctx.queryParams().get("format");
    if (format != null && !List.of("json", "csv", "html").contains(format)) {
      throw ErrorCode.INVALID.failure("format must be json, csv or html");
    }
    int page = page(ctx);
    String origin = QrCodes.origin(ctx.request());
    Future<RoomInfo> room = callers.organizerOf(ctx, slug);
    boolean sheet = "html".equals(format);
    // The sheet shows one page: only its invitations are opened (the counts need none opened).
    Future<List<Listed>> listed = room.compose(r -> gateway.store().invitations(slug))
        .compose(all -> ctx.vertx().executeBlocking(() -> open(all, origin + "/r/" + slug,
            sheet ? (page - 1) * SHEET_PAGE : 0, sheet ? SHEET_PAGE : all.size()), false));
    if (format == null || format.equals("json")) {
      replies.respond(ctx, 200, listed.map(all ->
          new Listing(all.size(), (int) all.stream().filter(Listed::used).count(), all)));
      return;
    }
    listed.compose(all -> format.equals("csv") ? Future.succeededFuture(InviteSheet.csv(all))
            : ctx.vertx().executeBlocking(() -> InviteSheet.html(room.result(), all, page), false))
        .onSuccess(text -> ctx.response().setStatusCode(200)
            .putHeader("Content-Type", format.equals("csv") ? "text/csv; charset=utf-8" : "text/html; charset=utf-8")
            .putHeader("Cache-Control", "no-store")
            .putHeader("Content-Disposition", (format.equals("csv") ? "attachment" : "inline")
                + "; filename=\"" + slug + "-invitations." + format + "\"")
            .end(text))
        .onFailure(e -> replies.fail(ctx, e));
  }

  /**
   * Every invitation, in order; only those from {@code from} ({@code count} of them) opened, the
   * others listed with a null invitation and link (the printable sheet needs only its page).
   */
  private List<Listed> open(List<Invitation> all, String audience, int from, int count) {
    List<Listed> out = new ArrayList<>(all.size());
    for (int n = 0; n < all.size(); n++) {
      Invitation i = all.get(n);
      if (n < from || n >= from + count) {
        out.add(new Listed(null, null, i.participant() != null));
        continue;
      }
      String invite = gateway.sealer().open(JoinCodes.SEAL_INVITE, i.sealed())
          .orElseThrow(() -> ErrorCode.UNAVAILABLE.failure("an invitation was sealed with a secret this server lacks"));
      out.add(new Listed(invite, audience + "#invite=" + invite, i.participant() != null));
    }
    return out;
  }

  private static int page(RoutingContext ctx) {
    String p = ctx.queryParams().get("page");
    if (p == null) {
      return 1;
    }
    try {
      int page = Integer.parseInt(p);
      if (page >= 1) {
        return page;
      }
    } catch (NumberFormatException e) {
      // falls through to the error below
    }
    throw ErrorCode.INVALID.failure("page must be a positive integer");
  }
}
