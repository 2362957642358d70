#!/usr/bin/env node
// `lunora`: runs the native lunora binary for this machine (see lib/launcher.js).
"use strict";

require("../lib/launcher.js").run();
