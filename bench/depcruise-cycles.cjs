// dependency-cruiser with only the cycle rule of its generated default
// configuration (`depcruise --init`): the "no-circular" rule.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "warn",
      comment: "This dependency is part of a circular relationship.",
      from: {},
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: ["node_modules"] },
  },
};
