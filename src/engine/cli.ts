import { GAME_IDS } from "../shared/games"; console.log(JSON.stringify({event:"hello", games: GAME_IDS}));
