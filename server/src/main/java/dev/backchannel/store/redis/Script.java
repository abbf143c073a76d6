package dev.backchannel.store.redis;

import io.lettuce.core.ScriptOutputType;

/** The Lua scripts of the Redis engine, one file each under {@code dev/backchannel/redis/}, with what they return. */
enum Script {
  CREATE_ROOM("create_room", ScriptOutputType.STATUS),
  ROOM("room", ScriptOutputType.MULTI),
  JOIN("join", ScriptOutputType.MULTI),
  PARTICIPANT("participant", ScriptOutputType.MULTI),
  ANSWERED("answered", ScriptOutputType.VALUE),
  POST("post", ScriptOutputType.MULTI),
  RATE("rate", ScriptOutputType.MULTI),
  MARK("mark", ScriptOutputType.MULTI),
  BAN("ban", ScriptOutputType.VALUE),
  CLOSE("close", ScriptOutputType.VALUE),
  LOAD("load", ScriptOutputType.MULTI),
  HISTORY("history", ScriptOutputType.MULTI),
  RATINGS_OF("ratings_of", ScriptOutputType.MULTI),
  LIST("list", ScriptOutputType.MULTI),
  EXPORT("export", ScriptOutputType.MULTI),
  SEQ("seq", ScriptOutputType.INTEGER),
  PRESENT("present", ScriptOutputType.STATUS),
  ONLINE("online", ScriptOutputType.INTEGER),
  SECRET("secret", ScriptOutputType.VALUE),
  DECIDE("decide", ScriptOutputType.MULTI),
  SWEEP("sweep", ScriptOutputType.VALUE),
  EVIDENCE("evidence", ScriptOutputType.VALUE),
  HELD_EVIDENCE("held_evidence", ScriptOutputType.MULTI),
  CONFIGURE("configure", ScriptOutputType.MULTI),
  INVITE("invite", ScriptOutputType.INTEGER),
  INVITATIONS("invitations", ScriptOutputType.MULTI),
  AUDIT("audit", ScriptOutputType.STATUS),
  AUDIT_LOG("audit_log", ScriptOutputType.MULTI),
  REOPEN("reopen", ScriptOutputType.MULTI),
  ROTATE_KEYS("rotate_keys", ScriptOutputType.MULTI),
  DELETE("delete", ScriptOutputType.STATUS),
  SUMMARY("summary", ScriptOutputType.MULTI);

  final String file;
  final ScriptOutputType output;

  Script(String file, ScriptOutputType output) {
    this.file = file;
    this.output = output;
  }
}
