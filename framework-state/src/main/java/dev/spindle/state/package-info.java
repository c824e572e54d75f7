/**
 * State that outlives a process or is shared by instances: sessions ({@link dev.spindle.state.Session},
 * {@link dev.spindle.state.SessionStore}), caches ({@link dev.spindle.state.Cache}) and broadcast
 * ({@link dev.spindle.state.Broadcaster}), each on Redis (Lettuce) with an in-memory twin behind the
 * same interface. {@link dev.spindle.state.State#install} picks one from {@code REDIS_URL}.
 */
package dev.spindle.state;
