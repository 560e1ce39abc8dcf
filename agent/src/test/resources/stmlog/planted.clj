(ns stmlog.planted
  "Planted conflicts for the agent's tests. Each is forced with promises (a transaction waits,
  inside its dosync, for the other thread to have done its part), never hoped for. The tests find
  the lines by their `site:` comments.")

(def counter (ref 0))
(def config (ref :initial))
(def limit (ref 10 :meta {:stmlog/label "limit"}))
(def shared (ref 0))
(def commute? (atom false))
(def dosyncs (atom 0))

(defn await!
  "Derefs p, failing after 10 s rather than hanging the test."
  [p]
  (when (= ::timeout (deref p 10000 ::timeout))
    (throw (ex-info "timed out waiting for the other thread" {}))))

(defmacro counted
  "A dosync block, counted once when it has committed."
  [& body]
  `(let [r# (dosync ~@body)] (swap! dosyncs inc) r#))

(defn bump!
  "Every transaction counts itself in counter: alter, or commute in commute mode."
  []
  (if @commute?
    (commute counter inc) ; site:counter-commute
    (alter counter inc))) ; site:counter-alter

(defn held-counter
  "A holds counter (its alter) until B has met it: B's alter waits for A and retries."
  []
  (let [a-holds (promise) b-tried (promise)
        a (future (counted (bump!) (deliver a-holds true) (await! b-tried)))
        b (future (await! a-holds)
                  (counted (try (bump!) (finally (deliver b-tried true)))))]
    @a @b))

(defn stale-read
  "L reads config, waits for S to change it, and reads it again: no version old enough."
  []
  (let [l-read (promise) s-done (promise)
        l (future (counted (let [before @config] ; site:config-first-read
                             (deliver l-read true)
                             (await! s-done)
                             (let [after @config] ; site:config-read-fault
                               (bump!)
                               [before after]))))
        s (future (await! l-read)
                  (counted (ref-set config :changed) (bump!))
                  (deliver s-done true))]
    @l @s))

(defn ensured-limit
  "E ensures limit, W's write of it waits for the read lock past LOCK_WAIT_MSECS and retries."
  []
  (let [e-ensured (promise) w-tried (promise)
        e (future (counted (ensure limit) ; site:limit-ensure
                           (deliver e-ensured true)
                           (await! w-tried)
                           (bump!)))
        w (future (await! e-ensured)
                  (counted (try (ref-set limit 5) ; site:limit-write
                                (finally (deliver w-tried true)))
                           (bump!)))]
    @e @w))

(defn barged
  "O starts first; Y then claims shared; O's write of it barges Y (older wins, once O is 10 ms
  old: Clojure's BARGE_WAIT_NANOS), and Y's next read finds itself killed."
  []
  (let [o-started (promise) y-holds (promise) o-barged (promise)
        o (future (counted (let [start (System/nanoTime)]
                             (deliver o-started true)
                             (await! y-holds)
                             ;; not a hope for an interleaving: Clojure lets a transaction barge
                             ;; only once it is BARGE_WAIT_NANOS (10 ms) old
                             (while (< (- (System/nanoTime) start) 20000000) (Thread/sleep 1))
                             (alter shared inc) ; site:shared-barger
                             (deliver o-barged true))))
        y (future (await! o-started)
                  (counted (alter shared inc) ; site:shared-victim
                           (deliver y-holds true)
                           (await! o-barged)
                           @shared))]
    @o @y))

(defn quiet
  "n transactions that meet no one."
  [n]
  (dotimes [_ n] (counted (bump!))))

(defn -main
  "mode: alter, commute (the counter commuted), or load (nothing run: what loading commits)."
  [mode & _]
  (reset! commute? (= mode "commute"))
  (when-not (= mode "load")
    (held-counter)
    (stale-read)
    (ensured-limit)
    (barged)
    (quiet 1000))
  (shutdown-agents)
  (println "dosyncs" @dosyncs)
  (println "counter" @counter))
