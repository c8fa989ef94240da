return { greeting = "hello from a module" }
