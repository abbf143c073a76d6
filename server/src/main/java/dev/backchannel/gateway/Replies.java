package dev.backchannel.gateway;

import dev.backchannel.model.ErrorCode;
import dev.backchannel.model.Failure;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;

/** Answers of the HTTP API: a JSON body, or the protocol's error shape with its status. */
final class Replies {

  private final Gateway gateway;

  Replies(Gateway gateway) {
    this.gateway = gateway;
  }

  void respond(RoutingContext ctx, int status, Future<?> result) {
    result.onSuccess(body -> ctx.response().setStatusCode(status)
            .putHeader("Content-Type", "application/json")
            .end(gateway.codec().write(body)))
        .onFailure(e -> fail(ctx, e));
  }

  void fail(RoutingContext ctx, Throwable e) {
    Failure f = e instanceof Failure failure ? failure : ErrorCode.UNAVAILABLE.failure("the store did not answer");
    fail(ctx, f.code().httpStatus(), f);
  }

  void fail(RoutingContext ctx, int status, Failure f) {
    if (ctx.response().ended()) {
      return;
    }
    gateway.metrics().error(f.code());
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "application/json")
        .end(gateway.codec().errorBody(f));
  }
}
